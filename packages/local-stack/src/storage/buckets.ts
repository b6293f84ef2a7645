// The bucket routes: list, get, create, update, empty, delete. Each runs as the caller, so
// storage.buckets' policies decide (service_role bypasses them).
import { type GatewayRequest, json } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import { assertBucketName, parseAllowedMimeTypes, parseBucketSizeLimit } from "./keys.ts";
import { runAsCaller } from "./objects.ts";
import type { Caller } from "./request-context.ts";
import type { BucketRow, StorageContext } from "./storage-context.ts";
import { ownerUuid } from "./storage-context.ts";

type Body = Record<string, unknown>;

const SORT_COLUMNS = ["id", "name", "created_at", "updated_at"];

/** An optional integer query parameter, at least `minimum`, in Storage's schema words (Fastify
 * coerces the query string, so `"10"` is 10 but `"ten"` or `"1.5"` is refused, never dropped). */
function queryInteger(params: URLSearchParams, name: string, minimum: number): number | null {
  const text = params.get(name);
  if (text === null) return null;
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw storageErrors.invalidRequest(`querystring/${name} must be integer`);
  if (value < minimum) throw storageErrors.invalidRequest(`querystring/${name} must be >= ${minimum}`);
  return value;
}

function queryChoice(params: URLSearchParams, name: string, allowed: readonly string[], fallback: string): string {
  const value = params.get(name);
  if (value === null) return fallback;
  if (!allowed.includes(value)) throw storageErrors.invalidRequest(`querystring/${name} must be equal to one of the allowed values`);
  return value;
}

/** A search is a substring, not a pattern: `%` and `_` match only themselves, as in Storage. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** The bucket list's query: every parameter storage-js sends is honoured or refused. */
function bucketListQuery(params: URLSearchParams) {
  return {
    limit: queryInteger(params, "limit", 1),
    offset: queryInteger(params, "offset", 0) ?? 0,
    column: queryChoice(params, "sortColumn", SORT_COLUMNS, "name"),
    descending: queryChoice(params, "sortOrder", ["asc", "desc"], "asc") === "desc",
    search: params.get("search") ?? "",
  };
}

const publicFields = (row: BucketRow, withType: boolean) => ({
  id: row.id,
  name: row.name,
  owner: row.owner ?? "",
  public: row.public,
  ...(withType ? { type: row.type } : {}),
  file_size_limit: row.file_size_limit === null ? null : Number(row.file_size_limit),
  allowed_mime_types: row.allowed_mime_types,
  created_at: row.created_at,
  updated_at: row.updated_at,
});

export async function listBuckets(context: StorageContext, request: GatewayRequest, caller: Caller) {
  const { limit, offset, column, descending, search } = bucketListQuery(request.url.searchParams);
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "bucket.list",
    (tx) => tx<BucketRow[]>`
    select * from storage.buckets
    where ${search ? tx`name ilike ${`%${escapeLike(search)}%`}` : tx`true`}
    order by ${tx(column)} ${descending ? tx`desc` : tx`asc`}
    limit ${limit} offset ${offset}`,
  );
  return json(
    200,
    rows.map((row) => publicFields(row, true)),
  );
}

export async function getBucket(context: StorageContext, request: GatewayRequest, caller: Caller, id: string) {
  const [row] = await runAsCaller(
    context,
    caller,
    request,
    "bucket.get",
    (tx) => tx<BucketRow[]>`
    select * from storage.buckets where id = ${id}`,
  );
  if (!row) throw storageErrors.noSuchBucket();
  return json(200, publicFields(row, false));
}

export async function createBucket(context: StorageContext, request: GatewayRequest, caller: Caller, body: Body) {
  const name = assertBucketName(body.name);
  const id = body.id === undefined ? name : assertBucketName(body.id);
  const sizeLimit = parseBucketSizeLimit(body.file_size_limit) ?? null;
  const mimeTypes = parseAllowedMimeTypes(body.allowed_mime_types) ?? null;
  const type = body.type === undefined ? "STANDARD" : String(body.type);
  if (type !== "STANDARD") throw storageErrors.invalidRequest("Only STANDARD buckets are available locally");
  await runAsCaller(
    context,
    caller,
    request,
    "bucket.create",
    (tx) => tx`
    insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
    values (${id}, ${name}, ${ownerUuid(caller.sub)}, ${caller.sub ?? null}, ${body.public === true},
            ${sizeLimit}, ${mimeTypes})`,
  );
  return json(200, { name });
}

export async function updateBucket(context: StorageContext, request: GatewayRequest, caller: Caller, id: string, body: Body) {
  const sizeLimit = parseBucketSizeLimit(body.file_size_limit);
  const mimeTypes = parseAllowedMimeTypes(body.allowed_mime_types);
  const isPublic = typeof body.public === "boolean" ? body.public : undefined;
  const [row] = await runAsCaller(
    context,
    caller,
    request,
    "bucket.update",
    (tx) => tx<{ id: string }[]>`
    update storage.buckets set
      public = ${isPublic === undefined ? tx`public` : tx`${isPublic}`},
      file_size_limit = ${sizeLimit === undefined ? tx`file_size_limit` : tx`${sizeLimit}`},
      allowed_mime_types = ${mimeTypes === undefined ? tx`allowed_mime_types` : tx`${mimeTypes}`},
      updated_at = now()
    where id = ${id}
    returning id`,
  );
  if (!row) throw storageErrors.noSuchBucket();
  return json(200, { message: "Successfully updated" });
}

export async function emptyBucket(context: StorageContext, request: GatewayRequest, caller: Caller, id: string) {
  await ensureBucketVisible(context, request, caller, id);
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "bucket.empty",
    (tx) => tx<{ id: string }[]>`delete from storage.objects where bucket_id = ${id} returning id`,
    true,
  );
  await Promise.all(rows.map((row) => context.store.removeObject(row.id)));
  return json(200, { message: "Empty bucket has been queued. Completion may take up to an hour." });
}

export async function deleteBucket(context: StorageContext, request: GatewayRequest, caller: Caller, id: string) {
  await ensureBucketVisible(context, request, caller, id);
  const [object] = await context.sql`select 1 from storage.objects where bucket_id = ${id} limit 1`;
  if (object) throw storageErrors.bucketNotEmpty();
  const [row] = await runAsCaller(
    context,
    caller,
    request,
    "bucket.delete",
    (tx) => tx<{ id: string }[]>`delete from storage.buckets where id = ${id} returning id`,
    true,
  );
  if (!row) throw storageErrors.accessDenied("Access denied");
  return json(200, { message: "Successfully deleted" });
}

async function ensureBucketVisible(context: StorageContext, request: GatewayRequest, caller: Caller, id: string) {
  const [row] = await runAsCaller(context, caller, request, "bucket.get", (tx) => tx`select id from storage.buckets where id = ${id}`);
  if (!row) throw storageErrors.noSuchBucket();
}
