// GET /render/image/(authenticated|public|sign)/{bucket}/{key}: an object transformed on the way
// out. Who may read it is decided exactly as for a download (policies, a public bucket, a signed
// token); a signed URL carries its transformations in its token, so they cannot be changed.
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import { MAX_SOURCE_BYTES, parseTransformOptions, renderImage, type TransformOptions } from "./image-transform.ts";
import { runAsCaller, selectObject } from "./objects.ts";
import { asStorageAdmin, type Caller } from "./request-context.ts";
import { verifySignedUrlToken } from "./signed-url-tokens.ts";
import type { ObjectRow, StorageContext } from "./storage-context.ts";
import { findBucketAsAdmin } from "./upload.ts";

const TRANSFORM_PARAMETERS = ["width", "height", "resize", "format", "quality", "gravity", "x_offset", "y_offset"];

const queryOptions = (request: GatewayRequest) =>
  parseTransformOptions(Object.fromEntries(request.url.searchParams.entries()), "querystring");

async function readSource(context: StorageContext, row: ObjectRow): Promise<Buffer> {
  const size = await context.store.size(row.id, row.version).catch(() => {
    throw storageErrors.notFound();
  });
  if (size > MAX_SOURCE_BYTES) throw storageErrors.entityTooLarge("source image");
  const chunks: Buffer[] = [];
  for await (const chunk of context.store.read(row.id, row.version)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function render(
  context: StorageContext,
  request: GatewayRequest,
  row: ObjectRow,
  options: TransformOptions,
): Promise<GatewayResponse> {
  const { bytes, contentType } = await renderImage(await readSource(context, row), options, String(request.headers.accept ?? ""));
  const headers: Record<string, string> = {
    "content-type": contentType,
    "content-length": String(bytes.length),
    "cache-control": row.metadata?.cacheControl ?? "no-cache",
    // The answer depends on Accept (WebP or not): caches must keep them apart.
    vary: "Accept",
  };
  const download = request.url.searchParams.get("download");
  if (download !== null) {
    const filename = download || row.name.split("/").pop() || "download";
    headers["content-disposition"] = `attachment; filename*=UTF-8''${encodeURIComponent(filename)}`;
  }
  return { status: 200, headers, body: request.method === "HEAD" ? undefined : bytes };
}

async function rowAsAdmin(context: StorageContext, bucketId: string, key: string): Promise<ObjectRow> {
  const [row] = await asStorageAdmin(context.sql, (tx) => selectObject(tx, bucketId, key));
  if (!row) throw storageErrors.notFound();
  return row;
}

export async function renderAuthenticated(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, key: string) {
  const options = queryOptions(request);
  const [row] = await runAsCaller(context, caller, request, "object.render_authenticated_image", (tx) => selectObject(tx, bucketId, key));
  if (!row) throw storageErrors.notFound();
  return render(context, request, row, options);
}

export async function renderPublic(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  const options = queryOptions(request);
  const bucket = await findBucketAsAdmin(context, bucketId);
  if (!bucket.public) throw storageErrors.noSuchBucket();
  return render(context, request, await rowAsAdmin(context, bucketId, key), options);
}

export async function renderSigned(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  const claims = await verifySignedUrlToken(context, request.url.searchParams.get("token"), `${bucketId}/${key}`, "download");
  // Only the signer chose the transformations; a query that tries to change them is refused.
  const tampered = TRANSFORM_PARAMETERS.find((name) => request.url.searchParams.has(name));
  if (tampered) throw storageErrors.invalidRequest(`querystring/${tampered}: a signed URL's transformations are fixed by its token`);
  const signed = claims.transformations;
  const options = signed && typeof signed === "object" ? parseTransformOptions(signed as Record<string, unknown>, "token") : {};
  return render(context, request, await rowAsAdmin(context, bucketId, key), options);
}
