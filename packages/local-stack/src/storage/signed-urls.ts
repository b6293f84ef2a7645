// Signed URLs: creating one needs the caller to see the object (or be allowed to insert it); using
// one needs no other credential than its token (signed-url-tokens.ts), which opens one `bucket/key`
// for one action.
import { type GatewayRequest, json } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import { parseTransformOptions } from "./image-transform.ts";
import { assertObjectKey } from "./keys.ts";
import { runAsCaller, serveAsAdmin } from "./objects.ts";
import type { Caller } from "./request-context.ts";
import { signDownloadToken, signUploadToken, verifySignedUrlToken } from "./signed-url-tokens.ts";
import type { StorageContext } from "./storage-context.ts";
import { testUploadPermission, uploadObject } from "./upload.ts";

/** How long a signed upload URL lasts in the CLI's stack. */
const UPLOAD_URL_SECONDS = 7200;

type Body = Record<string, unknown>;

function expiresIn(body: Body): number {
  const value = body.expiresIn;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 1) throw storageErrors.invalidRequest("body/expiresIn must be >= 1");
  return Math.floor(value);
}

/** Keys the caller can see, of those asked for. */
async function visibleKeys(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, keys: string[]) {
  const rows = await runAsCaller(
    context,
    caller,
    request,
    "object.sign",
    (tx) => tx<{ name: string }[]>`
    select name from storage.objects where bucket_id = ${bucketId} and name = any(${keys})`,
  );
  return new Set(rows.map((row) => row.name));
}

/** A signed URL's `transform`, validated now so a bad one is refused when signing, not when used. */
function signedTransform(context: StorageContext, body: Body): Record<string, unknown> | undefined {
  if (body.transform === undefined) return undefined;
  // Without image transformations the URL would serve the original: the caller must know.
  if (!context.imageTransformation) throw storageErrors.featureNotEnabled("image transformation");
  if (typeof body.transform !== "object" || body.transform === null || Array.isArray(body.transform))
    throw storageErrors.invalidRequest("body/transform must be object");
  return { ...parseTransformOptions(body.transform as Record<string, unknown>, "body/transform") };
}

export async function createSignedUrl(
  context: StorageContext,
  request: GatewayRequest,
  caller: Caller,
  bucketId: string,
  key: string,
  body: Body,
) {
  const seconds = expiresIn(body);
  const transform = signedTransform(context, body);
  if (!(await visibleKeys(context, request, caller, bucketId, [key])).has(key)) throw storageErrors.noSuchKey();
  const url = `${bucketId}/${key}`;
  const token = await signDownloadToken(context, url, seconds, transform);
  return json(200, { signedURL: `/${transform ? "render/image" : "object"}/sign/${url}?token=${token}` });
}

export async function createSignedUrls(context: StorageContext, request: GatewayRequest, caller: Caller, bucketId: string, body: Body) {
  const seconds = expiresIn(body);
  const paths = body.paths;
  if (!Array.isArray(paths) || paths.length < 1 || paths.length > 1000 || !paths.every((p) => typeof p === "string"))
    throw storageErrors.invalidRequest("body/paths must be an array of 1 to 1000 object keys");
  const visible = await visibleKeys(context, request, caller, bucketId, paths as string[]);
  const results = await Promise.all(
    (paths as string[]).map(async (path) => {
      if (!visible.has(path)) return { error: "Either the object does not exist or you do not have access to it", path, signedURL: null };
      const url = `${bucketId}/${path}`;
      return { error: null, path, signedURL: `/object/sign/${url}?token=${await signDownloadToken(context, url, seconds)}` };
    }),
  );
  return json(200, results);
}

export async function readSignedUrl(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  await verifySignedUrlToken(context, request.url.searchParams.get("token"), `${bucketId}/${key}`, "download");
  return serveAsAdmin(context, request, bucketId, key);
}

export async function createSignedUploadUrl(
  context: StorageContext,
  request: GatewayRequest,
  caller: Caller,
  bucketId: string,
  key: string,
) {
  const upsert = request.headers["x-upsert"] === "true";
  const [bucket] = await context.sql`select id from storage.buckets where id = ${bucketId}`;
  if (!bucket) throw storageErrors.noSuchBucket();
  await testUploadPermission(context, caller, { bucketId, key, upsert, method: request.method, path: request.path });
  const url = `${bucketId}/${key}`;
  const token = await signUploadToken(context, url, { owner: caller.sub, upsert }, UPLOAD_URL_SECONDS);
  return json(200, { url: `/object/upload/sign/${url}?token=${token}`, token });
}

export async function uploadToSignedUrl(context: StorageContext, request: GatewayRequest, bucketId: string, key: string) {
  let claims: Record<string, unknown>;
  try {
    claims = await verifySignedUrlToken(context, request.url.searchParams.get("token"), `${bucketId}/${key}`, "upload");
  } catch (error) {
    request.raw.resume();
    throw error;
  }
  const owner = typeof claims.owner === "string" ? claims.owner : undefined;
  const result = await uploadObject(context, {
    caller: { role: "service_role", claims: { role: "service_role" }, sub: owner },
    bucketId,
    key: assertObjectKey(key),
    upsert: claims.upsert === true,
    raw: request.raw,
    method: request.method,
    path: request.path,
    checkPermission: false,
    ownerSub: owner,
  });
  return json(200, { Id: result.id, Key: result.key });
}
