// Sends a stored object's bytes with Storage's read headers: Content-Type, ETag, Last-Modified,
// Cache-Control, Range (206 / 416) and If-None-Match (304); `download` asks for an attachment.
// Objects are served from the API's origin, so content a browser would run there (HTML, SVG, XML,
// scripts) is sandboxed: it renders, but its scripts cannot act as the API's origin.
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import { storageErrors } from "./errors.ts";
import type { ObjectRow, StorageContext } from "./storage-context.ts";

function parseRange(header: string, size: number): { start: number; end: number } | "invalid" | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  let start: number;
  let end: number;
  if (match[1] === "") {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return "invalid";
  return { start, end };
}

/** HTML, XHTML, SVG, any XML (XSLT runs in it) and scripts: what a browser runs when opened. */
const ACTIVE_CONTENT =
  /^(text\/html|text\/xsl|[a-z]+\/(xml|[a-z0-9.-]+\+xml)|(text|application)\/(x-)?(javascript|ecmascript)|text\/jscript)$/;

export const isActiveContent = (contentType: string) => ACTIVE_CONTENT.test(contentType.split(";")[0].trim().toLowerCase());

/** Storage answers HTML as text/plain, so it shows as source rather than as a page. */
const servedContentType = (stored: string) => (stored.includes("text/html") ? "text/plain" : stored);

export async function serveObject(context: StorageContext, request: GatewayRequest, row: ObjectRow): Promise<GatewayResponse> {
  const meta = row.metadata ?? ({} as ObjectRow["metadata"]);
  const size = await context.store.size(row.id, row.version).catch(() => {
    throw storageErrors.notFound();
  });
  const lastModified = new Date(meta.lastModified ?? row.updated_at).toUTCString();
  const contentType = meta.mimetype ?? "application/octet-stream";
  const headers: Record<string, string> = {
    "content-type": servedContentType(contentType),
    "cache-control": meta.cacheControl ?? "no-cache",
    etag: meta.eTag ?? `"${row.version}"`,
    "last-modified": lastModified,
    "accept-ranges": "bytes",
    ...(isActiveContent(contentType) ? { "content-security-policy": "sandbox" } : {}),
  };
  const download = request.url.searchParams.get("download");
  if (download !== null) {
    const filename = download || row.name.split("/").pop() || "download";
    headers["content-disposition"] =
      `attachment; filename="${encodeURIComponent(filename)}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
  }
  const ifNoneMatch = request.headers["if-none-match"];
  if (typeof ifNoneMatch === "string" && ifNoneMatch.split(",").some((tag) => tag.trim() === headers.etag)) return { status: 304, headers };
  const rangeHeader = request.headers.range;
  const range = typeof rangeHeader === "string" ? parseRange(rangeHeader, size) : undefined;
  if (range === "invalid") {
    headers["content-range"] = `bytes */${size}`;
    const error = storageErrors.invalidRange();
    return {
      status: 416,
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ statusCode: "416", code: error.code, error: error.label, message: error.message }),
    };
  }
  if (range) {
    headers["content-range"] = `bytes ${range.start}-${range.end}/${size}`;
    headers["content-length"] = String(range.end - range.start + 1);
    return { status: 206, headers, body: request.method === "HEAD" ? undefined : context.store.read(row.id, row.version, range) };
  }
  headers["content-length"] = String(size);
  return { status: 200, headers, body: request.method === "HEAD" ? undefined : context.store.read(row.id, row.version) };
}
