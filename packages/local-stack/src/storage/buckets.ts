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

const SORT_COLUMNS = new Set(["id", "name", "created_at", "updated_at"]);

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
  const params = request.url.searchParams;
  const column = SORT_COLUMNS.has(params.get("sortColumn") ?? "") ? (params.get("sortColumn") as string) : "name";
  const descending = params.get("sortOrder")?.toLowerCase() === "desc";
  const limit = Number(params.get("limit") ?? "") || null;
  const offset = Number(params.get("offset") ?? "") || 0;
  const search = params.get("search") ?? "";
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "bucket.list",
    (tx) => tx<BucketRow[]>`
    select * from storage.buckets
    where ${search ? tx`name ilike ${`%${search}%`}` : tx`true`}
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
