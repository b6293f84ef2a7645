// Forwards one request to a worker and streams its answer back: method, path after the function
// name, query, headers and bodies both ways, untouched but for hop-by-hop headers.
import { type Agent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { GatewayRequest } from "../gateway/types.ts";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "transfer-encoding"]);

function withoutHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: IncomingMessage;
}

/** `target` is the path the function sees, e.g. `/hello/sub?x=1` (Supabase routes keep the name). */
export function forwardToWorker(
  worker: { port: number; agent: Agent; secret: string },
  request: GatewayRequest,
  target: string,
): Promise<ProxiedResponse> {
  const { port, agent } = worker;
  return new Promise((resolve, reject) => {
    const headers = withoutHopByHop(request.headers);
    headers["x-basekit-worker-secret"] = worker.secret;
    // Bodies of unknown length go on chunked, as they came.
    if (request.headers["transfer-encoding"]) headers["transfer-encoding"] = request.headers["transfer-encoding"];
    const upstream = httpRequest({ host: "127.0.0.1", port, method: request.method, path: target, headers, agent }, (response) => {
      resolve({ status: response.statusCode ?? 502, headers: withoutHopByHop(response.headers), body: response });
    });
    upstream.once("error", reject);
    request.raw.once("error", (error) => upstream.destroy(error));
    request.raw.pipe(upstream);
  });
}
