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

function parseMetadata(text: string | undefined): Record<string, unknown> | null {
  if (text === undefined || text === "") return null;
  if (text.length > MAX_METADATA) throw storageErrors.invalidRequest("metadata is too large");
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

/** Resolves once the file's bytes can be read (multipart: when the file part begins). */
export function readUploadBody(request: IncomingMessage): Promise<UploadBody> {
  const contentType = header(request, "content-type") ?? "application/octet-stream";
  if (!/^multipart\/form-data/i.test(contentType)) {
    const encoded = header(request, "x-metadata");
    return Promise.resolve({
      stream: request,
      contentType,
      cacheControl: header(request, "cache-control") ?? "no-cache",
      userMetadata: parseMetadata(encoded === undefined ? undefined : Buffer.from(encoded, "base64").toString("utf8")),
    });
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { files: 1, fieldSize: MAX_METADATA } });
    } catch {
      return reject(storageErrors.invalidRequest("Malformed multipart body"));
    }
    const fields = new Map<string, string>();
    let found = false;
    parser.on("field", (name, value) => fields.set(name, value));
    parser.on("file", (_name, stream, info) => {
      if (found) return stream.resume();
      found = true;
      try {
        const seconds = fields.get("cacheControl");
        resolve({
          stream,
          contentType: fields.get("contentType") || info.mimeType || "application/octet-stream",
          cacheControl: seconds ? `max-age=${seconds}` : "no-cache",
          userMetadata: parseMetadata(fields.get("metadata")),
        });
      } catch (error) {
        stream.resume();
        reject(error);
      }
    });
    parser.on("error", (error) => reject(error instanceof StorageError ? error : storageErrors.invalidRequest("Malformed multipart body")));
    parser.on("close", () => {
      if (!found) reject(storageErrors.invalidRequest("No content provided"));
    });
    request.pipe(parser);
  });
}
