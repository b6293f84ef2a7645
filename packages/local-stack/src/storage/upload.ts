// Uploads (POST/PUT /object/{b}/{p} and signed upload URLs): bucket limits and mime types are
// checked before any byte is stored, the caller's INSERT (or upsert) permission is tested in a
// rolled-back transaction, the bytes are streamed to disk, then the row is written as the table
// owner, as Storage does.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { fromDatabaseError, StorageError, storageErrors } from "./errors.ts";
import { isMimeTypeAllowed } from "./keys.ts";
import type { StagedFile } from "./object-store.ts";
import { asCaller, asStorageAdmin, type Caller } from "./request-context.ts";
import type { BucketRow, ObjectMetadata, StorageContext } from "./storage-context.ts";
import { ownerUuid } from "./storage-context.ts";
import { readUploadBody, type UploadBody } from "./upload-body.ts";

export interface UploadRequest {
  caller: Caller;
  bucketId: string;
  key: string;
  upsert: boolean;
  raw: IncomingMessage;
  method: string;
  path: string;
  /** False for signed upload URLs: the permission was tested when the URL was made. */
  checkPermission: boolean;
  /** Owner to record (signed uploads record whoever made the URL). */
  ownerSub?: string;
}

export interface UploadResult {
  id: string;
  key: string;
}

/** Marks the end of a permission probe, whose transaction must not commit. */
class ProbeDone extends Error {}

/** Lets a rejected upload's unread body flow, so the connection can answer and carry on. */
function drain(raw: IncomingMessage, body?: UploadBody): void {
  body?.stream.resume();
  raw.resume();
}

export async function findBucketAsAdmin(context: StorageContext, bucketId: string): Promise<BucketRow> {
  const [bucket] = await context.sql<BucketRow[]>`select * from storage.buckets where id = ${bucketId}`;
  if (!bucket) throw storageErrors.noSuchBucket();
  return bucket;
}

/** Would the caller's INSERT (or upsert) of this key pass their policies? Throws Storage's error if not. */
export async function testUploadPermission(
  context: StorageContext,
  caller: Caller,
  scope: { bucketId: string; key: string; upsert: boolean; method: string; path: string },
): Promise<void> {
  try {
    await asCaller(context.sql, caller, { operation: "object.upload", method: scope.method, path: scope.path }, async (tx) => {
      const owner = ownerUuid(caller.sub);
      if (scope.upsert)
        await tx`
          insert into storage.objects (bucket_id, name, owner, owner_id, metadata)
          values (${scope.bucketId}, ${scope.key}, ${owner}, ${caller.sub ?? null}, '{}'::jsonb)
          on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id`;
      else
        await tx`
          insert into storage.objects (bucket_id, name, owner, owner_id, metadata)
          values (${scope.bucketId}, ${scope.key}, ${owner}, ${caller.sub ?? null}, '{}'::jsonb)`;
      throw new ProbeDone();
    });
  } catch (error) {
    if (error instanceof ProbeDone) return;
    throw fromDatabaseError(error) ?? error;
  }
}

export async function uploadObject(context: StorageContext, request: UploadRequest): Promise<UploadResult> {
  const { raw, bucketId, key } = request;
  let body: UploadBody | undefined;
  try {
    const bucket = await findBucketAsAdmin(context, bucketId);
    const limit = Math.min(bucket.file_size_limit ?? Number.POSITIVE_INFINITY, context.globalFileSizeLimit);
    const declared = Number(raw.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit && !/^multipart\//i.test(String(raw.headers["content-type"])))
      throw storageErrors.entityTooLarge();
    body = await readUploadBody(raw);
    const placeholder = key.endsWith(".emptyFolderPlaceholder");
    if (!placeholder && !isMimeTypeAllowed(body.contentType, bucket.allowed_mime_types))
      throw storageErrors.invalidMimeType(body.contentType.split(";")[0].trim());
    if (request.checkPermission) await testUploadPermission(context, request.caller, request);
    const described = { contentType: body.contentType, cacheControl: body.cacheControl, userMetadata: body.userMetadata };
    const staged = await context.store.stage(body.stream, limit);
    body = undefined;
    try {
      return await writeObjectRow(context, request, staged, described);
    } catch (error) {
      await context.store.discard(staged);
      throw error;
    }
  } catch (error) {
    drain(raw, body);
    if (error instanceof StorageError) throw error;
    throw fromDatabaseError(error) ?? error;
  }
}

async function writeObjectRow(
  context: StorageContext,
  request: UploadRequest,
  staged: StagedFile,
  described: { contentType: string; cacheControl: string; userMetadata: Record<string, unknown> | null },
): Promise<UploadResult> {
  const { bucketId, key } = request;
  const uploadUserMetadata = described.userMetadata;
  const version = randomUUID();
  const now = new Date().toISOString();
  const metadata: ObjectMetadata = {
    eTag: `"${staged.md5}"`,
    size: staged.size,
    mimetype: described.contentType,
    cacheControl: described.cacheControl,
    lastModified: now,
    contentLength: staged.size,
    httpStatusCode: 200,
  };
  const sub = request.ownerSub ?? request.caller.sub;
  let replaced: { id: string; version: string } | undefined;
  const id = await asStorageAdmin(context.sql, async (tx) => {
    const [existing] = await tx<{ id: string; version: string | null }[]>`
        select id, version from storage.objects where bucket_id = ${bucketId} and name = ${key} for update`;
    if (existing && !request.upsert) throw storageErrors.keyAlreadyExists();
    let objectId: string;
    if (existing) {
      await tx`
          update storage.objects
          set version = ${version}, metadata = ${JSON.stringify(metadata)}::text::jsonb,
              user_metadata = ${uploadUserMetadata === null ? null : JSON.stringify(uploadUserMetadata)}::text::jsonb,
              owner = ${ownerUuid(sub)}, owner_id = ${sub ?? null}, last_accessed_at = now()
          where id = ${existing.id}`;
      objectId = existing.id;
      if (existing.version) replaced = { id: existing.id, version: existing.version };
    } else {
      objectId = randomUUID();
      await tx`
          insert into storage.objects (id, bucket_id, name, owner, owner_id, version, metadata, user_metadata)
          values (${objectId}, ${bucketId}, ${key}, ${ownerUuid(sub)}, ${sub ?? null}, ${version},
                  ${JSON.stringify(metadata)}::text::jsonb,
                  ${uploadUserMetadata === null ? null : JSON.stringify(uploadUserMetadata)}::text::jsonb)`;
    }
    await context.store.commit(staged, objectId, version);
    return objectId;
  });
  if (replaced) await context.store.removeVersion(replaced.id, replaced.version);
  return { id, key: `${bucketId}/${key}` };
}
