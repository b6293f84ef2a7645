// The object routes other than uploads and copies: download (as the caller, or public), info,
// exists, list, remove and move. Every query runs as the caller, so their policies decide what they see.
import { type GatewayRequest, json } from "../gateway/types.ts";
import { fromDatabaseError, StorageError, storageErrors } from "./errors.ts";
import { assertObjectKey } from "./keys.ts";
import { asCaller, asStorageAdmin, type Caller, type Tx } from "./request-context.ts";
import { serveObject } from "./serve-object.ts";
import type { ObjectRow, StorageContext } from "./storage-context.ts";
import { findBucketAsAdmin } from "./upload.ts";

type Body = Record<string, unknown>;

/** Runs a caller-scoped query, turning database refusals into Storage's errors. */
export async function runAsCaller<T>(
  context: StorageContext,
  caller: Caller,
  request: GatewayRequest,
  operation: string,
  work: (tx: Tx) => Promise<T>,
  allowDelete = false,
): Promise<T> {
  try {
    return await asCaller(context.sql, caller, { operation, method: request.method, path: request.path, allowDelete }, work);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    throw fromDatabaseError(error) ?? error;
  }
}

export const selectObject = (tx: Tx, bucketId: string, key: string) =>
  tx<ObjectRow[]>`select * from storage.objects where bucket_id = ${bucketId} and name = ${key}`;

export async function downloadAsCaller(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, key: string) {
  const [row] = await runAsCaller(context, caller, request, "object.get_authenticated_object", (tx) => selectObject(tx, bucketId, key));
  if (!row) throw storageErrors.notFound();
  return serveObject(context, request, row);
}

export async function downloadPublic(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  const bucket = await findBucketAsAdmin(context, bucketId);
  if (!bucket.public) throw storageErrors.noSuchBucket();
  return serveAsAdmin(context, request, bucketId, key);
}

/** Reads skipping RLS: public buckets and signed URLs. */
export async function serveAsAdmin(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  const [row] = await asStorageAdmin(context.sql, (tx) => selectObject(tx, bucketId, key));
  if (!row) throw storageErrors.notFound();
  return serveObject(context, request, row);
}

export async function objectInfo(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, key: string) {
  const [row] = await runAsCaller(context, caller, request, "object.info", (tx) => selectObject(tx, bucketId, key));
  if (!row) throw storageErrors.noSuchKey();
  const meta = row.metadata ?? ({} as ObjectRow["metadata"]);
  return json(200, {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: meta.size ?? null,
    content_type: meta.mimetype ?? null,
    cache_control: meta.cacheControl ?? null,
    etag: meta.eTag ?? null,
    metadata: row.user_metadata ?? {},
    last_modified: meta.lastModified ?? row.updated_at,
    created_at: row.created_at,
  });
}

const LIST_SORT_COLUMNS = ["name", "updated_at", "created_at", "last_accessed_at"];

/** An optional integer of the list body, at least `minimum`, in Storage's schema words. */
function bodyInteger(body: Body, name: string, minimum: number, fallback: number): number {
  const value = body[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw storageErrors.invalidRequest(`body/${name} must be integer`);
  if (value < minimum) throw storageErrors.invalidRequest(`body/${name} must be >= ${minimum}`);
  return value;
}

export async function listObjects(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, body: Body) {
  if (typeof body.prefix !== "string") throw storageErrors.invalidRequest("body must have required property 'prefix'");
  const prefix = body.prefix === "" || body.prefix.endsWith("/") ? body.prefix : `${body.prefix}/`;
  const limit = bodyInteger(body, "limit", 1, 100);
  const offset = bodyInteger(body, "offset", 0, 0);
  if (body.search !== undefined && typeof body.search !== "string") throw storageErrors.invalidRequest("body/search must be string");
  const search = typeof body.search === "string" ? body.search : "";
  const sortBy = (body.sortBy ?? {}) as { column?: unknown; order?: unknown };
  if (typeof sortBy !== "object" || sortBy === null) throw storageErrors.invalidRequest("body/sortBy must be object");
  const column = sortBy.column ?? "name";
  if (typeof column !== "string" || !LIST_SORT_COLUMNS.includes(column))
    throw storageErrors.invalidRequest("body/sortBy/column must be equal to one of the allowed values");
  const order = sortBy.order ?? "asc";
  if (order !== "asc" && order !== "desc")
    throw storageErrors.invalidRequest("body/sortBy/order must be equal to one of the allowed values");
  const levels = prefix.split("/").length;
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "object.list",
    (tx) => tx`
    select * from storage.search(${prefix}, ${bucketId}, ${limit}, ${levels}, ${offset}, ${search}, ${column}, ${order})`,
  );
  return json(200, rows);
}

export async function removeObjects(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, body: Body) {
  const prefixes = body.prefixes;
  if (!Array.isArray(prefixes) || prefixes.length < 1 || prefixes.length > 1000 || !prefixes.every((p) => typeof p === "string"))
    throw storageErrors.invalidRequest("body/prefixes must be an array of 1 to 1000 object keys");
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "object.delete_objects",
    (tx) => tx<ObjectRow[]>`
      delete from storage.objects where bucket_id = ${bucketId} and name = any(${prefixes as string[]}) returning *`,
    true,
  );
  await Promise.all(rows.map((row) => context.store.removeObject(row.id)));
  return json(200, rows);
}

export function moveArguments(body: Body) {
  const { bucketId, sourceKey, destinationKey, destinationBucket } = body;
  if (typeof bucketId !== "string" || typeof sourceKey !== "string" || typeof destinationKey !== "string")
    throw storageErrors.invalidRequest("body must have required properties bucketId, sourceKey, destinationKey");
  return {
    bucketId,
    sourceKey: assertObjectKey(sourceKey),
    destinationKey: assertObjectKey(destinationKey),
    destinationBucket: typeof destinationBucket === "string" && destinationBucket !== "" ? destinationBucket : bucketId,
  };
}

export async function moveObject(context: StorageContext, request: GatewayRequest, caller: Caller, body: Body) {
  const move = moveArguments(body);
  if (move.destinationBucket !== move.bucketId) await findBucketAsAdmin(context, move.destinationBucket);
  const [row] = await runAsCaller(
    context,
    caller,
    request,
    "object.move",
    (tx) => tx<{ id: string }[]>`
    update storage.objects
    set bucket_id = ${move.destinationBucket}, name = ${move.destinationKey}, last_accessed_at = now()
    where bucket_id = ${move.bucketId} and name = ${move.sourceKey}
    returning id`,
  );
  if (!row) throw storageErrors.noSuchKey();
  return json(200, { message: "Successfully moved", Id: row.id, Key: `${move.destinationBucket}/${move.destinationKey}` });
}
