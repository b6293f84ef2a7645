// POST /object/list-v2/{bucket}: keys under a prefix (a plain string prefix, as in Storage), flat
// or folded into folders at the next `/` (`with_delimiter`), in pages joined by an opaque cursor
// that carries the sort it was made with. Runs as the caller, so their policies decide what exists.
import { type GatewayRequest, json } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import { runAsCaller } from "./objects.ts";
import type { Caller } from "./request-context.ts";
import type { StorageContext } from "./storage-context.ts";

type Body = Record<string, unknown>;

const MAX_KEYS = 1000;
const SORT_COLUMNS = ["name", "updated_at", "created_at"] as const;
type SortColumn = (typeof SORT_COLUMNS)[number];

interface Cursor {
  /** The last key of the previous page. */
  after: string;
  column: SortColumn;
  order: "asc" | "desc";
  /** The last row's sort value when sorting by a date (ISO), for a stable keyset. */
  columnAfter?: string;
}

const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");

function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (
      typeof value?.after === "string" &&
      SORT_COLUMNS.includes(value.column) &&
      (value.order === "asc" || value.order === "desc") &&
      (value.columnAfter === undefined || !Number.isNaN(Date.parse(value.columnAfter)))
    )
      return value as Cursor;
  } catch {}
  throw storageErrors.invalidRequest("Invalid Parameter continuation token");
}

function listArguments(body: Body) {
  const { prefix = "", limit, cursor, with_delimiter: withDelimiter = false, sortBy } = body;
  if (typeof prefix !== "string") throw storageErrors.invalidRequest("body/prefix must be string");
  if (limit !== undefined && (typeof limit !== "number" || !Number.isSafeInteger(limit)))
    throw storageErrors.invalidRequest("body/limit must be integer");
  if (typeof limit === "number" && limit < 1) throw storageErrors.invalidRequest("body/limit must be >= 1");
  if (cursor !== undefined && typeof cursor !== "string") throw storageErrors.invalidRequest("body/cursor must be string");
  if (typeof withDelimiter !== "boolean") throw storageErrors.invalidRequest("body/with_delimiter must be boolean");
  let column: SortColumn = "name";
  let order: "asc" | "desc" = "asc";
  if (sortBy !== undefined) {
    const sort = sortBy as { column?: unknown; order?: unknown };
    if (typeof sort !== "object" || sort === null) throw storageErrors.invalidRequest("body/sortBy must be object");
    if (!SORT_COLUMNS.includes(sort.column as SortColumn))
      throw storageErrors.invalidRequest("body/sortBy/column must be equal to one of the allowed values");
    if (sort.order !== undefined && sort.order !== "asc" && sort.order !== "desc")
      throw storageErrors.invalidRequest("body/sortBy/order must be equal to one of the allowed values");
    column = sort.column as SortColumn;
    order = (sort.order as "asc" | "desc" | undefined) ?? "asc";
  }
  const page = cursor ? decodeCursor(cursor) : undefined;
  if (page) ({ column, order } = page);
  // Folders have no dates: a folded listing can only be in key order.
  if (withDelimiter && column !== "name") throw storageErrors.invalidRequest("sortBy/column must be name when with_delimiter is true");
  return { prefix, limit: Math.min(typeof limit === "number" ? limit : MAX_KEYS, MAX_KEYS), withDelimiter, column, order, page };
}

interface ListedRow {
  id: string | null;
  name: string;
  metadata: unknown;
  updated_at: Date | null;
  created_at: Date | null;
  last_accessed_at: Date | null;
}

/** A prefix matched literally: `%` and `_` in a key are characters, not wildcards. */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

export async function listObjectsV2(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, body: Body) {
  const { prefix, limit, withDelimiter, column, order, page } = listArguments(body);
  const descending = order === "desc";
  const rows = await runAsCaller(context, caller, request, "object.list_v2", (tx) => {
    const past = descending ? tx`<` : tx`>`;
    const direction = descending ? tx`desc` : tx`asc`;
    if (withDelimiter) {
      // Each key folds to its first segment after the prefix; a folded entry ends with `/`.
      const start = prefix.length + 1;
      return tx<ListedRow[]>`
        select entry.name, object.id, object.metadata, object.updated_at, object.created_at, object.last_accessed_at
        from (
          select distinct case when strpos(substr(name, ${start}), '/') > 0
                               then left(name, ${prefix.length} + strpos(substr(name, ${start}), '/'))
                               else name end as name
          from storage.objects where bucket_id = ${bucketId} and name like ${likePrefix(prefix)}
        ) as entry
        left join storage.objects as object on object.bucket_id = ${bucketId} and object.name = entry.name
        where ${page ? tx`entry.name collate "C" ${past} ${page.after}` : tx`true`}
        order by entry.name collate "C" ${direction}
        limit ${limit + 1}`;
    }
    const keyset = !page
      ? tx`true`
      : column === "name" || !page.columnAfter
        ? tx`name collate "C" ${past} ${page.after}`
        : tx`(date_trunc('milliseconds', ${tx(column)}), name collate "C") ${past} (${page.columnAfter}::timestamptz, ${page.after})`;
    return tx<ListedRow[]>`
      select id, name, metadata, updated_at, created_at, last_accessed_at
      from storage.objects
      where bucket_id = ${bucketId} and name like ${likePrefix(prefix)} and ${keyset}
      order by ${column === "name" ? tx`` : tx`date_trunc('milliseconds', ${tx(column)}) ${direction},`} name collate "C" ${direction}
      limit ${limit + 1}`;
  });
  const hasNext = rows.length > limit;
  const listed = rows.slice(0, limit);
  const last = listed.at(-1);
  const columnValue = last && column !== "name" ? last[column] : null;
  return json(200, {
    hasNext,
    ...(hasNext && last
      ? {
          nextCursor: encodeCursor({ after: last.name, column, order, ...(columnValue ? { columnAfter: columnValue.toISOString() } : {}) }),
        }
      : {}),
    folders: listed.filter((row) => row.id === null).map((row) => ({ name: row.name, key: row.name })),
    objects: listed.filter((row) => row.id !== null).map((row) => ({ ...row, key: row.name })),
  });
}
