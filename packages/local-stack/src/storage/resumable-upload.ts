// Resumable uploads (TUS 1.0.0 at /storage/v1/upload/resumable), served by the tus project's own
// server (@tus/server) over a file store. Every request is authorized as a normal upload: the
// bucket, its limits and the caller's INSERT (or upsert) policy are checked before any byte is
// accepted, and only the caller who created an upload may resume, inspect or cancel it. Once
// complete, the bytes become the object exactly as a one-shot upload would.
import { randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import type { IncomingMessage } from "node:http";
import { join } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { FileStore } from "@tus/file-store";
import { Metadata, Server, type Upload } from "@tus/server";
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import type { Logger } from "../log/logger.ts";
import { StorageError, storageErrors } from "./errors.ts";
import { assertObjectKey } from "./keys.ts";
import { authenticate, type Caller } from "./request-context.ts";
import type { StorageContext } from "./storage-context.ts";
import { checkMimeType, findBucketAsAdmin, testUploadPermission, writeObjectRow } from "./upload.ts";

const ROUTE = "/storage/v1/upload/resumable";
/** How long an unfinished upload may be resumed, as on Supabase. */
const UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;
/** Upload ids are ours (random hex): nothing a client sends in the URL can name another file. */
const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** Metadata keys the server sets; a client's own values for them are overwritten at creation. */
const CREATOR = "basekitCreator";
const UPSERT = "basekitUpsert";

/** What a request carries through the tus server's hooks: who calls, resolved once. */
const callers = new WeakMap<Request, Caller>();

/** The caller identity an upload is bound to: their role and `sub`. */
const creatorOf = (caller: Caller) => `${caller.role}:${caller.sub ?? ""}`;

function tusError(error: StorageError) {
  // Storage answers TUS failures with the real status and the message as the body.
  return { status_code: error.httpStatus ?? error.statusCode, body: error.message };
}

interface UploadTarget {
  bucketId: string;
  key: string;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
  upsert: boolean;
}

function targetOf(metadata: Record<string, string | null> | undefined, upsert: boolean): UploadTarget {
  const bucketId = metadata?.bucketName;
  const objectName = metadata?.objectName;
  if (!bucketId || !objectName) throw storageErrors.invalidRequest("Upload-Metadata must name bucketName and objectName");
  let userMetadata: Record<string, unknown> | null = null;
  if (metadata.metadata) {
    try {
      userMetadata = JSON.parse(metadata.metadata);
    } catch {}
    if (!userMetadata || typeof userMetadata !== "object" || Array.isArray(userMetadata))
      throw storageErrors.invalidRequest("metadata must be a JSON object");
  }
  const cacheControl = metadata.cacheControl ?? "";
  return {
    bucketId,
    key: assertObjectKey(objectName),
    contentType: metadata.contentType || "application/octet-stream",
    cacheControl: /^\d+$/.test(cacheControl) ? `max-age=${cacheControl}` : "no-cache",
    userMetadata,
    upsert,
  };
}

/** The request body as a web stream that touches the socket only once read: until then the raw
 * stream is left alone, so a request refused unread can still be drained. */
function lazyBody(raw: IncomingMessage): ReadableStream<Uint8Array> {
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      chunks ??= raw[Symbol.asyncIterator]();
      const { value, done } = await chunks.next();
      if (done) controller.close();
      else controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    },
    async cancel() {
      await chunks?.return?.();
    },
  });
}

export type ResumableUploads = ReturnType<typeof createResumableUploads>;

/** `storageDir`: the Storage state folder; unfinished uploads live in its `resumable/`. */
export function createResumableUploads(context: StorageContext, storageDir: string, logger: Logger) {
  const directory = join(storageDir, "resumable");
  const store = new FileStore({ directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });

  /** The bucket's limit and type rules and the caller's policy, before any byte is taken. */
  async function authorize(caller: Caller, target: UploadTarget, size: number | undefined) {
    const bucket = await findBucketAsAdmin(context, target.bucketId);
    const limit = Math.min(Number(bucket.file_size_limit ?? Number.POSITIVE_INFINITY), context.globalFileSizeLimit);
    if (size !== undefined && size > limit) throw storageErrors.entityTooLarge();
    checkMimeType(bucket, target.key, target.contentType);
    await testUploadPermission(context, caller, {
      bucketId: target.bucketId,
      key: target.key,
      upsert: target.upsert,
      method: "POST",
      path: ROUTE,
      metadata: { mimetype: target.contentType, contentLength: size },
      userMetadata: target.userMetadata,
    });
    return limit;
  }

  async function storedUpload(id: string): Promise<Upload> {
    try {
      return await store.getUpload(id);
    } catch {
      throw storageErrors.notFound();
    }
  }

  const server = new Server({
    path: ROUTE,
    datastore: store,
    namingFunction: () => randomBytes(16).toString("hex"),
    getFileIdFromRequest: (_request, lastPath) => (lastPath && UPLOAD_ID.test(lastPath) ? lastPath : undefined),
    // Deferred lengths would let an upload grow past its bucket's limit before anyone could check.
    maxSize: async (request, id) => {
      const caller = callers.get(request as unknown as Request);
      if (!caller) throw storageErrors.accessDenied("Access denied");
      if (id && UPLOAD_ID.test(id) && request.method !== "POST") {
        const upload = await storedUpload(id);
        const bucket = await findBucketAsAdmin(context, upload.metadata?.bucketName ?? "");
        return Math.min(Number(bucket.file_size_limit ?? Number.POSITIVE_INFINITY), context.globalFileSizeLimit);
      }
      return context.globalFileSizeLimit;
    },
    async onIncomingRequest(request, id) {
      const caller = callers.get(request as unknown as Request);
      if (!caller) throw storageErrors.accessDenied("Access denied");
      if (request.method === "POST") {
        const metadata = Metadata.parse(request.headers.get("upload-metadata") ?? undefined);
        const length = request.headers.get("upload-length");
        if (length === null) throw storageErrors.invalidRequest("Upload-Length is required: deferred lengths are not accepted");
        await authorize(caller, targetOf(metadata, request.headers.get("x-upsert") === "true"), Number(length));
        return;
      }
      const upload = await storedUpload(id);
      // Another user (or anon) must not learn of, extend or cancel someone's upload.
      if (upload.metadata?.[CREATOR] !== creatorOf(caller)) throw storageErrors.notFound();
      // The policy is asked again: it may have changed since the upload began.
      await authorize(caller, targetOf(upload.metadata, upload.metadata?.[UPSERT] === "true"), upload.size);
    },
    async onUploadCreate(request, upload) {
      const caller = callers.get(request as unknown as Request) as Caller;
      const upsert = request.headers.get("x-upsert") === "true" ? "true" : "false";
      return { metadata: { ...upload.metadata, [CREATOR]: creatorOf(caller), [UPSERT]: upsert } };
    },
    async onUploadFinish(request, upload) {
      const caller = callers.get(request as unknown as Request) as Caller;
      // Finished or refused, the upload is over: its bytes become the object or nothing at all.
      try {
        const target = targetOf(upload.metadata, upload.metadata?.[UPSERT] === "true");
        const limit = await authorize(caller, target, upload.size);
        const staged = await context.store.stage(createReadStream(join(directory, upload.id)), limit);
        try {
          await writeObjectRow(context, { caller, bucketId: target.bucketId, key: target.key, upsert: target.upsert }, staged, target);
        } catch (error) {
          await context.store.discard(staged);
          throw error;
        }
      } finally {
        await store.remove(upload.id).catch(() => {});
      }
      return {};
    },
    onResponseError(_request, error) {
      if (error instanceof StorageError) return tusError(error);
      if ("status_code" in error) return undefined;
      logger.error("resumable upload failed", { error: error.stack ?? String(error) });
      return tusError(storageErrors.internal("Internal Server Error"));
    },
  });

  // Unfinished uploads past their expiry are removed hourly, as Storage's cleanup job does.
  const cleanup = setInterval(
    () => {
      server.cleanUpExpiredUploads().catch((error) => logger.warn("expired resumable uploads not removed", { error: String(error) }));
    },
    60 * 60 * 1000,
  );
  cleanup.unref();

  return {
    close: () => clearInterval(cleanup),
    matches: (path: string) => path === "/upload/resumable" || path.startsWith("/upload/resumable/"),
    async handle(request: GatewayRequest): Promise<GatewayResponse> {
      const web = new Request(request.url, {
        method: request.method,
        headers: Object.entries(request.headers).flatMap(([name, value]) =>
          value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((one) => [name, one] as [string, string]),
        ),
        body: request.method === "PATCH" || request.method === "POST" ? lazyBody(request.raw) : undefined,
        duplex: "half",
      } as RequestInit);
      if (request.method !== "OPTIONS") {
        try {
          callers.set(web, await authenticate(request, context.verifier));
        } catch (error) {
          request.raw.resume();
          if (!(error instanceof StorageError)) throw error;
          const { status_code, body } = tusError(error);
          return { status: status_code, headers: { "tus-resumable": "1.0.0" }, body };
        }
      }
      const response = await server.handleWeb(web);
      // A body the tus server never started (a refused request) is drained, as for any upload,
      // so the answer goes out and the connection carries on.
      if (!web.bodyUsed) request.raw.resume();
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      return {
        status: response.status,
        headers,
        body: response.body ? Readable.fromWeb(response.body as NodeReadableStream) : undefined,
      };
    },
  };
}
