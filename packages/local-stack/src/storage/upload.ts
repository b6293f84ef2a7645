// Uploads (POST/PUT /object/{b}/{p} and signed upload URLs): the bucket, its size limit and the
// caller's INSERT (or upsert) permission, tested in a rolled-back transaction, are checked before
// the body is read; then the bytes are streamed to disk and the row is written as the table owner,
// as Storage does.
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { fromDatabaseError, StorageError, storageErrors } from "./errors.ts";
import { isMimeTypeAllowed } from "./keys.ts";
import type { StagedFile } from "./object-store.ts";
import { asCaller, asStorageAdmin, type Caller } from "./request-context.ts";
import type { BucketRow, ObjectMetadata, StorageContext } from "./storage-context.ts";
import { ownerUuid } from "./storage-context.ts";
import { isMultipartUpload, rawUploadBody, readMultipartBody, type UploadBody } from "./upload-body.ts";

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

export interface UploadPermissionScope {
  bucketId: string;
  key: string;
  upsert: boolean;
  method: string;
  path: string;
  /** What is known of the object before its body is read, for policies that look at it. */
  metadata?: Pick<ObjectMetadata, "mimetype"> & Partial<Pick<ObjectMetadata, "contentLength">>;
  userMetadata?: Record<string, unknown> | null;
}

/** Would the caller's INSERT (or upsert) of this key pass their policies? Throws Storage's error if not. */
export async function testUploadPermission(context: StorageContext, caller: Caller, scope: UploadPermissionScope): Promise<void> {
  const metadata = JSON.stringify(scope.metadata ?? {});
  const userMetadata = scope.userMetadata ? JSON.stringify(scope.userMetadata) : null;
  try {
    await asCaller(context.sql, caller, { operation: "object.upload", method: scope.method, path: scope.path }, async (tx) => {
      const owner = ownerUuid(caller.sub);
      if (scope.upsert)
        await tx`
          insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata)
          values (${scope.bucketId}, ${scope.key}, ${owner}, ${caller.sub ?? null}, ${metadata}::text::jsonb, ${userMetadata}::text::jsonb)
          on conflict (bucket_id, name) do update
          set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata, user_metadata = excluded.user_metadata`;
      else
        await tx`
          insert into storage.objects (bucket_id, name, owner, owner_id, metadata, user_metadata)
          values (${scope.bucketId}, ${scope.key}, ${owner}, ${caller.sub ?? null}, ${metadata}::text::jsonb, ${userMetadata}::text::jsonb)`;
      throw new ProbeDone();
    });
  } catch (error) {
    if (error instanceof ProbeDone) return;
    throw fromDatabaseError(error) ?? error;
  }
}

export function checkMimeType(bucket: BucketRow, key: string, contentType: string): void {
  const placeholder = key.endsWith(".emptyFolderPlaceholder");
  if (!placeholder && !isMimeTypeAllowed(contentType, bucket.allowed_mime_types))
    throw storageErrors.invalidMimeType(contentType.split(";")[0].trim());
}

export async function uploadObject(context: StorageContext, request: UploadRequest): Promise<UploadResult> {
  const { raw, bucketId, key } = request;
  let body: UploadBody | undefined;
  try {
    const bucket = await findBucketAsAdmin(context, bucketId);
    const limit = Math.min(bucket.file_size_limit ?? Number.POSITIVE_INFINITY, context.globalFileSizeLimit);
    const multipart = isMultipartUpload(raw);
    const declared = Number(raw.headers["content-length"]);
    const contentLength = Number.isFinite(declared) && declared >= 0 ? declared : undefined;
    // A multipart Content-Length counts the fields and boundaries too, so only a raw one is the object's size.
    if (!multipart && contentLength !== undefined && contentLength > limit) throw storageErrors.entityTooLarge();
    // A raw body is described by its headers; a multipart body's fields are read only once the
    // caller is known to be allowed to upload, so a refused request is answered unread.
    if (!multipart) {
      body = rawUploadBody(raw);
      checkMimeType(bucket, key, body.contentType);
    }
    if (request.checkPermission)
      await testUploadPermission(context, request.caller, {
        ...request,
        metadata: body ? { mimetype: body.contentType, contentLength } : undefined,
        userMetadata: body?.userMetadata,
      });
    if (!body) {
      body = await readMultipartBody(raw);
      checkMimeType(bucket, key, body.contentType);
    }
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

/** Records a staged file as the object's new version (insert, or replace when upserting). */
export async function writeObjectRow(
  context: StorageContext,
  request: Pick<UploadRequest, "caller" | "bucketId" | "key" | "upsert" | "ownerSub">,
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
  const userMetadata = uploadUserMetadata === null ? null : JSON.stringify(uploadUserMetadata);
  let replaced: { id: string; version: string } | undefined;
  const id = await asStorageAdmin(context.sql, async (tx) => {
    // One statement: lock the row the key names (if any), then insert or, for upserts only,
    // replace it. No row written means the key exists and this is not an upsert.
    const [written] = await tx<{ id: string | null; old_id: string | null; old_version: string | null }[]>`
      with existing as (
        select id, version from storage.objects where bucket_id = ${bucketId} and name = ${key} for update
      ), written as (
        insert into storage.objects (id, bucket_id, name, owner, owner_id, version, metadata, user_metadata)
        values (${randomUUID()}, ${bucketId}, ${key}, ${ownerUuid(sub)}, ${sub ?? null}, ${version},
                ${JSON.stringify(metadata)}::text::jsonb, ${userMetadata}::text::jsonb)
        on conflict (bucket_id, name) do update
        set version = excluded.version, metadata = excluded.metadata, user_metadata = excluded.user_metadata,
            owner = excluded.owner, owner_id = excluded.owner_id, last_accessed_at = now()
        where ${request.upsert}
        returning id
      )
      select (select id from written) as id, existing.id as old_id, existing.version as old_version
      from (select 1) as one left join existing on true`;
    if (!written?.id) throw storageErrors.keyAlreadyExists();
    if (written.old_id && written.old_version) replaced = { id: written.old_id, version: written.old_version };
    await context.store.commit(staged, written.id, version);
    return written.id;
  });
  if (replaced) await context.store.removeVersion(replaced.id, replaced.version);
  return { id, key: `${bucketId}/${key}` };
}
