// Sends one request taken from net.http_request_queue with fetch, as pg_net sends it with curl:
// the row's method, URL, headers and body, redirects followed, the whole exchange bounded by
// timeout_milliseconds (0 = no limit, as curl), http(s) only. Returns the net._http_response row:
// status, headers, content type and body on an answer, else timed_out / error_msg.
import { curlErrorMessage } from "./curl-errors.ts";

export const PG_NET_VERSION = "0.19.5";

/** A queued request as the worker reads it. */
export interface QueuedRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, unknown> | null;
  body: Buffer | null;
  timeout_milliseconds: number;
}

export interface ResponseRow {
  id: string;
  status_code: number | null;
  content_type: string | null;
  headers: Record<string, string> | null;
  content: string | null;
  timed_out: boolean;
  error_msg: string | null;
}

export interface SendLimits {
  /** Larger response bodies are not stored: the row says so in error_msg. */
  maxResponseBytes: number;
}

const failed = (id: string, error_msg: string, timed_out = false): ResponseRow => ({
  id,
  status_code: null,
  content_type: null,
  headers: null,
  content: null,
  timed_out,
  error_msg,
});

/** pg_net sends each header as `key: value` (jsonb_each_text); a null value is left out. */
function requestHeaders(headers: Record<string, unknown> | null): Headers | undefined {
  if (headers === null) return undefined;
  const result = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) continue;
    result.append(name, typeof value === "string" ? value : JSON.stringify(value));
  }
  if (!result.has("user-agent")) result.set("User-Agent", `pg_net/${PG_NET_VERSION}`);
  return result;
}

/** Reads the body up to the limit; null when it is larger. */
async function readLimited(response: Response, limit: number): Promise<Uint8Array | null> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function sendRequest(request: QueuedRequest, limits: SendLimits): Promise<ResponseRow> {
  const { id, timeout_milliseconds: timeoutMs } = request;
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return failed(id, "URL using bad/illegal format or missing URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return failed(id, "Unsupported protocol");
  if (timeoutMs < 0) return failed(id, "A libcurl function was given a bad argument");

  const abort = new AbortController();
  let timedOut = false;
  const started = performance.now();
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          abort.abort();
        }, timeoutMs)
      : undefined;
  try {
    const response = await fetch(url, {
      method: request.method.toUpperCase(),
      headers: requestHeaders(request.headers),
      body: request.body === null ? undefined : new Uint8Array(request.body),
      redirect: "follow",
      signal: abort.signal,
    });
    const bytes = await readLimited(response, limits.maxResponseBytes);
    if (bytes === null) {
      abort.abort();
      return failed(id, `Response body larger than ${limits.maxResponseBytes} bytes (the local stack's limit): not stored`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers) headers[name] = value;
    // Stored as a C string would be: up to the first NUL, and no row text at all when empty.
    const text = new TextDecoder().decode(bytes).split("\0")[0];
    return {
      id,
      status_code: response.status,
      content_type: response.headers.get("content-type"),
      headers,
      content: text === "" ? null : text,
      timed_out: false,
      error_msg: null,
    };
  } catch (error) {
    if (timedOut) {
      const total = (performance.now() - started).toFixed(6);
      return failed(id, `Timeout of ${timeoutMs} ms reached. Total time: ${total} ms`, true);
    }
    return failed(id, curlErrorMessage(error));
  } finally {
    clearTimeout(timer);
  }
}
