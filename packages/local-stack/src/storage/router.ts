// Maps /storage/v1 paths to handlers, authenticates the caller, parses JSON bodies and turns
// every failure into Storage's error body.
import type { GatewayRequest, GatewayResponse, Handler } from "../gateway/types.ts";
import { BodyTooLargeError, json } from "../gateway/types.ts";
import type { Logger } from "../log/logger.ts";
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from "./buckets.ts";
import { copyObject } from "./copy-object.ts";
import { errorResponse, StorageError, storageErrors } from "./errors.ts";
import { decodePath, splitObjectPath } from "./keys.ts";
import { listObjectsV2 } from "./list-objects-v2.ts";
import { downloadAsCaller, downloadPublic, listObjects, moveObject, objectInfo, removeObjects } from "./objects.ts";
import { renderAuthenticated, renderPublic, renderSigned } from "./render-image.ts";
import { authenticate } from "./request-context.ts";
import type { ResumableUploads } from "./resumable-upload.ts";
import { createSignedUploadUrl, createSignedUrl, createSignedUrls, readSignedUrl, uploadToSignedUrl } from "./signed-urls.ts";
import type { StorageContext } from "./storage-context.ts";
import { uploadObject } from "./upload.ts";

type Body = Record<string, unknown>;

/** Fastify's default bodyLimit, which Storage keeps for its JSON routes. */
const MAX_JSON_BODY = 1024 * 1024;

async function jsonBody(request: GatewayRequest): Promise<Body> {
  const raw = await request.body(MAX_JSON_BODY);
  if (raw.length === 0) return {};
  try {
    const value: unknown = JSON.parse(raw.toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Body;
  } catch {}
  throw storageErrors.invalidRequest("body must be a JSON object");
}

/** `rest` after a route prefix, decoded: `bucket` or `bucket/key`. */
const after = (path: string, prefix: string) => decodePath(path.slice(prefix.length));

const PREFIX = "/storage/v1";

const RENDER_ROUTES = [
  ["/render/image/public/", "public"],
  ["/render/image/sign/", "sign"],
  ["/render/image/authenticated/", "authenticated"],
] as const;

/** The path as the client sent it: URL parsing would resolve `..` and `%2e%2e` segments, which
 * must reach key validation and be refused rather than silently name another object. */
function unresolvedPath(request: GatewayRequest): string {
  const sent = (request.raw.url ?? "").split("?")[0];
  return sent.startsWith(`${PREFIX}/`) ? sent.slice(PREFIX.length) : request.path;
}

async function route(context: StorageContext, request: GatewayRequest, resumable?: ResumableUploads): Promise<GatewayResponse> {
  const { method } = request;
  const path = unresolvedPath(request);
  const caller = () => authenticate(request, context.verifier);

  if (resumable?.matches(path)) return resumable.handle(request);

  // Buckets
  if (path === "/bucket" || path === "/bucket/") {
    if (method === "GET") return listBuckets(context, request, await caller());
    if (method === "POST") return createBucket(context, request, await caller(), await jsonBody(request));
  }
  const emptyMatch = /^\/bucket\/([^/]+)\/empty$/.exec(path);
  if (emptyMatch && method === "POST") return emptyBucket(context, request, await caller(), decodePath(emptyMatch[1]));
  const bucketMatch = /^\/bucket\/([^/]+)$/.exec(path);
  if (bucketMatch) {
    const id = decodePath(bucketMatch[1]);
    if (method === "GET") return getBucket(context, request, await caller(), id);
    if (method === "PUT") return updateBucket(context, request, await caller(), id, await jsonBody(request));
    if (method === "DELETE") return deleteBucket(context, request, await caller(), id);
  }

  // Image transformations: the object read as a download would be, then transformed
  if ((method === "GET" || method === "HEAD") && path.startsWith("/render/image/")) {
    if (!context.imageTransformation) throw storageErrors.featureNotEnabled("image transformation");
    for (const [prefix, access] of RENDER_ROUTES) {
      if (!path.startsWith(prefix)) continue;
      const { bucketId, key } = splitObjectPath(after(path, prefix));
      if (access === "public") return renderPublic(context, request, bucketId, key);
      if (access === "sign") return renderSigned(context, request, bucketId, key);
      return renderAuthenticated(context, request, await caller(), bucketId, key);
    }
  }

  // Objects: fixed routes first, then /object/{bucket}/{key}
  if (method === "POST" && path.startsWith("/object/list-v2/"))
    return listObjectsV2(context, request, await caller(), after(path, "/object/list-v2/"), await jsonBody(request));
  if (method === "POST" && path.startsWith("/object/list/"))
    return listObjects(context, request, await caller(), after(path, "/object/list/"), await jsonBody(request));
  if (method === "POST" && path === "/object/move") return moveObject(context, request, await caller(), await jsonBody(request));
  if (method === "POST" && path === "/object/copy") return copyObject(context, request, await caller(), await jsonBody(request));
  if (path.startsWith("/object/upload/sign/")) {
    const { bucketId, key } = splitObjectPath(after(path, "/object/upload/sign/"));
    if (method === "POST") return createSignedUploadUrl(context, request, await caller(), bucketId, key);
    if (method === "PUT") return uploadToSignedUrl(context, request, bucketId, key);
  }
  if (path.startsWith("/object/sign/")) {
    const rest = after(path, "/object/sign/");
    if (method === "POST" && !rest.includes("/")) return createSignedUrls(context, request, await caller(), rest, await jsonBody(request));
    const { bucketId, key } = splitObjectPath(rest);
    if (method === "POST") return createSignedUrl(context, request, await caller(), bucketId, key, await jsonBody(request));
    if (method === "GET" || method === "HEAD") return readSignedUrl(context, request, bucketId, key);
  }
  if ((method === "GET" || method === "HEAD") && path.startsWith("/object/public/")) {
    const { bucketId, key } = splitObjectPath(after(path, "/object/public/"));
    return downloadPublic(context, request, bucketId, key);
  }
  for (const prefix of ["/object/info/authenticated/", "/object/info/public/", "/object/info/"]) {
    if (method === "GET" && path.startsWith(prefix)) {
      const { bucketId, key } = splitObjectPath(after(path, prefix));
      return objectInfo(context, request, await caller(), bucketId, key);
    }
  }
  if ((method === "GET" || method === "HEAD") && path.startsWith("/object/authenticated/")) {
    const { bucketId, key } = splitObjectPath(after(path, "/object/authenticated/"));
    return downloadAsCaller(context, request, await caller(), bucketId, key);
  }
  if (path.startsWith("/object/")) {
    const rest = after(path, "/object/");
    if (method === "DELETE" && !rest.includes("/")) return removeObjects(context, request, await caller(), rest, await jsonBody(request));
    if (method === "GET" || method === "HEAD") {
      const { bucketId, key } = splitObjectPath(rest);
      return downloadAsCaller(context, request, await authenticate(request, context.verifier, true), bucketId, key);
    }
    if (method === "POST" || method === "PUT") {
      try {
        const { bucketId, key } = splitObjectPath(rest);
        const result = await uploadObject(context, {
          caller: await caller(),
          bucketId,
          key,
          upsert: method === "PUT" || request.headers["x-upsert"] === "true",
          raw: request.raw,
          method,
          path,
          checkPermission: true,
        });
        return json(200, { Id: result.id, Key: result.key });
      } catch (error) {
        request.raw.resume();
        throw error;
      }
    }
  }
  throw storageErrors.notFoundRoute();
}

/** No answer, object bytes above all, may be sniffed by a browser into a type it would run. */
const noSniff = (response: GatewayResponse): GatewayResponse => ({
  ...response,
  headers: { ...response.headers, "x-content-type-options": "nosniff" },
});

export function createStorageRouter(context: StorageContext, logger: Logger, resumable?: ResumableUploads): Handler {
  return async (request) => {
    try {
      return noSniff(await route(context, request, resumable));
    } catch (error) {
      if (error instanceof StorageError) return noSniff(errorResponse(error));
      if (error instanceof BodyTooLargeError) return noSniff(errorResponse(storageErrors.requestTooLarge()));
      logger.error("storage request failed", { path: request.path, error: (error as Error).stack ?? String(error) });
      return noSniff(errorResponse(storageErrors.internal("Internal Server Error")));
    }
  };
}
