// POST /object/copy: the source must be visible to the caller and the destination writable by
// them; the copy keeps the source's metadata unless `copyMetadata` is false, when `metadata`
// (cacheControl, mimetype) and the `x-metadata` header describe it instead, as in Storage.
import { randomUUID } from "node:crypto";
import { type GatewayRequest, json } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import { isMimeTypeAllowed } from "./keys.ts";
import { moveArguments, runAsCaller, selectObject } from "./objects.ts";
import { asStorageAdmin, type Caller } from "./request-context.ts";
import type { ObjectMetadata, ObjectRow, StorageContext } from "./storage-context.ts";
import { ownerUuid } from "./storage-context.ts";
import { findBucketAsAdmin, testUploadPermission } from "./upload.ts";
import { userMetadataHeader } from "./upload-body.ts";

type Body = Record<string, unknown>;

/** The file metadata a copy may set: only what Storage's schema names, anything else refused. */
function fileMetadataOverride(body: Body): { cacheControl?: string; mimetype?: string } {
  const metadata = body.metadata;
  if (metadata === undefined) return {};
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))
    throw storageErrors.invalidRequest("body/metadata must be object");
  const fields = metadata as Record<string, unknown>;
  for (const [name, value] of Object.entries(fields)) {
    if (name !== "cacheControl" && name !== "mimetype")
      throw storageErrors.invalidRequest(`body/metadata must NOT have additional properties: ${name}`);
    if (typeof value !== "string") throw storageErrors.invalidRequest(`body/metadata/${name} must be string`);
  }
  return fields as { cacheControl?: string; mimetype?: string };
}

function copyArguments(request: GatewayRequest, body: Body) {
  if (body.copyMetadata !== undefined && typeof body.copyMetadata !== "boolean")
    throw storageErrors.invalidRequest("body/copyMetadata must be boolean");
  const copyMetadata = body.copyMetadata ?? true;
  const override = fileMetadataOverride(body);
  const headerMetadata = userMetadataHeader(request.raw);
  // With copyMetadata the source's metadata wins, so a given override would be silently lost.
  if (copyMetadata && (Object.keys(override).length > 0 || headerMetadata !== null))
    throw storageErrors.invalidRequest("metadata and x-metadata apply only with copyMetadata: false");
  return { ...moveArguments(body), copyMetadata, override, headerMetadata, upsert: request.headers["x-upsert"] === "true" };
}

export async function copyObject(context: StorageContext, request: GatewayRequest, caller: Caller, body: Body) {
  const copy = copyArguments(request, body);
  const destinationBucket = await findBucketAsAdmin(context, copy.destinationBucket);
  const [source] = await runAsCaller(context, caller, request, "object.copy", (tx) => selectObject(tx, copy.bucketId, copy.sourceKey));
  if (!source) throw storageErrors.noSuchKey();
  const fileMetadata: ObjectMetadata = { ...source.metadata, ...copy.override, lastModified: new Date().toISOString() };
  const userMetadata = copy.copyMetadata ? source.user_metadata : copy.headerMetadata;
  // The destination bucket's rules hold for a copy as for an upload: a copy is no way around them.
  if (fileMetadata.mimetype && !isMimeTypeAllowed(fileMetadata.mimetype, destinationBucket.allowed_mime_types))
    throw storageErrors.invalidMimeType(fileMetadata.mimetype.split(";")[0].trim());
  const sizeLimit = Math.min(Number(destinationBucket.file_size_limit ?? Number.POSITIVE_INFINITY), context.globalFileSizeLimit);
  if (Number(fileMetadata.size ?? 0) > sizeLimit) throw storageErrors.entityTooLarge();
  await testUploadPermission(context, caller, {
    bucketId: copy.destinationBucket,
    key: copy.destinationKey,
    upsert: copy.upsert,
    method: request.method,
    path: request.path,
    metadata: fileMetadata,
    userMetadata,
  });
  const version = randomUUID();
  let replaced: { id: string; version: string } | undefined;
  const row = await asStorageAdmin(context.sql, async (tx) => {
    const [existing] = await tx<{ id: string; version: string }[]>`
      select id, version from storage.objects where bucket_id = ${copy.destinationBucket} and name = ${copy.destinationKey} for update`;
    if (existing && !copy.upsert) throw storageErrors.keyAlreadyExists();
    const id = existing?.id ?? randomUUID();
    await context.store.copy(source.id, source.version, id, version);
    const [written] = await tx<ObjectRow[]>`
      insert into storage.objects (id, bucket_id, name, owner, owner_id, version, metadata, user_metadata)
      values (${id}, ${copy.destinationBucket}, ${copy.destinationKey}, ${ownerUuid(caller.sub)}, ${caller.sub ?? null},
              ${version}, ${JSON.stringify(fileMetadata)}::text::jsonb, ${userMetadata === null ? null : JSON.stringify(userMetadata)}::text::jsonb)
      on conflict (bucket_id, name) do update
      set version = excluded.version, metadata = excluded.metadata, user_metadata = excluded.user_metadata,
          owner = excluded.owner, owner_id = excluded.owner_id
      returning *`;
    if (existing) replaced = existing;
    return written;
  });
  if (replaced) await context.store.removeVersion(replaced.id, replaced.version);
  return json(200, { Id: row.id, Key: `${copy.destinationBucket}/${copy.destinationKey}`, ...row });
}
