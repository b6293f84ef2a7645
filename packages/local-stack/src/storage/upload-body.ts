// What an upload carries, streamed: a multipart/form-data body (one file part plus the
// `cacheControl`, `metadata` and `contentType` fields storage-js sends with Blobs) or a raw body
// (Content-Type, Cache-Control and base64 `x-metadata` headers, as storage-js sends Buffers).
import type { IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import busboy from "busboy";
import { StorageError, storageErrors } from "./errors.ts";

export interface UploadBody {
  stream: Readable;
  contentType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | null;
}

const MAX_METADATA = 1024 * 1024;

/** Storage's multipart limits (fields: 10, files: 1, 1 MiB per field): fields are held in memory
 * until the file part begins, so these bound what one request can make the process hold. busboy
 * flags a value as truncated once it reaches fieldSize, hence the one byte more. */
const MULTIPART_LIMITS = { fields: 10, fieldSize: MAX_METADATA + 1, fieldNameSize: 100, files: 1, parts: 11, headerPairs: 20 };

function parseMetadata(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined || text === "") return null;
  if (Buffer.byteLength(text) > MAX_METADATA) throw storageErrors.entityTooLarge("user_metadata");
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {}
  throw storageErrors.invalidRequest("metadata must be a JSON object");
}

const header = (request: IncomingMessage, name: string) => {
  const value = request.headers[name];
  return typeof value === "string" && value !== "" ? value : undefined;
};

export const isMultipartUpload = (request: IncomingMessage) => /^multipart\/form-data/i.test(header(request, "content-type") ?? "");

/** The base64 JSON `x-metadata` header (raw uploads, copies), or null when absent. */
export function userMetadataHeader(request: IncomingMessage): Record<string, unknown> | null {
  const encoded = header(request, "x-metadata");
  return parseMetadata(encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8"));
}

/** A raw upload is described by its headers alone: none of its body is read here. */
export function rawUploadBody(request: IncomingMessage): UploadBody {
  return {
    stream: request,
    contentType: header(request, "content-type") ?? "application/octet-stream",
    cacheControl: header(request, "cache-control") ?? "no-cache",
    userMetadata: userMetadataHeader(request),
  };
}

/** Reads a multipart body's fields, within MULTIPART_LIMITS, up to its file part; resolves once
 * the file's bytes can be read. A refusal stops parsing, leaving the rest of the body unread. */
export function readMultipartBody(request: IncomingMessage): Promise<UploadBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: MULTIPART_LIMITS });
    } catch {
      return reject(storageErrors.invalidRequest("Malformed multipart body"));
    }
    const fields = new Map<string, string>();
    let settled = false;
    let file: Readable | undefined;
    const fail = (error: StorageError) => {
      if (settled) return;
      settled = true;
      request.unpipe(parser);
      reject(error);
    };
    // A client gone mid-body never ends the parser: without this the upload would wait (and hold
    // its fields, or its half-written file) forever.
    request.once("close", () => {
      if (request.complete) return;
      file?.destroy(storageErrors.invalidRequest("Request stream closed before upload could complete"));
      fail(storageErrors.invalidRequest("Request stream closed before upload could begin"));
    });
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) fail(storageErrors.entityTooLarge(name === "metadata" ? "user_metadata" : name));
      else if (!settled) fields.set(name, value);
    });
    // The messages are @fastify/multipart's, which Storage answers as 400 InvalidRequest.
    parser.on("fieldsLimit", () => fail(storageErrors.invalidRequest("reach fields limit")));
    parser.on("partsLimit", () => fail(storageErrors.invalidRequest("reach parts limit")));
    parser.on("file", (_name, stream, info) => {
      if (settled) return stream.resume();
      let userMetadata: Record<string, unknown> | null;
      try {
        userMetadata = parseMetadata(fields.get("metadata"));
      } catch (error) {
        stream.resume();
        return fail(error as StorageError);
      }
      settled = true;
      file = stream;
      const seconds = fields.get("cacheControl");
      resolve({
        stream,
        contentType: fields.get("contentType") || info.mimeType || "application/octet-stream",
        cacheControl: seconds ? `max-age=${seconds}` : "no-cache",
        userMetadata,
      });
    });
    parser.on("error", (error) => fail(error instanceof StorageError ? error : storageErrors.invalidRequest("Malformed multipart body")));
    parser.on("close", () => fail(storageErrors.invalidRequest("No content provided")));
    request.pipe(parser);
  });
}
