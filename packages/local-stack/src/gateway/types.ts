// The contract between the gateway and each service: a service is a prefix plus a plain
// request -> response function, with an optional WebSocket upgrade handler.
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Duplex, Readable } from "node:stream";

export interface GatewayRequest {
  method: string;
  /** Full request URL (origin is the gateway's). */
  url: URL;
  /** Path after the service prefix, e.g. `/token` for `/auth/v1/token`. Always starts with `/`. */
  path: string;
  /** Lower-cased header names, as Node gives them. `authorization` is already rewritten from the
   * API key the way Supabase's gateway does (see bearer-token.ts). */
  headers: IncomingHttpHeaders;
  /** The socket's peer address, whatever the headers claim (services decide whom to trust). */
  remoteAddress: string;
  /** Reads the whole body, failing with a 413-ready error past `limit` bytes (default 1 MB). */
  body(limit?: number): Promise<Buffer>;
  /** The underlying stream, for services that stream large bodies (Storage uploads). */
  raw: IncomingMessage;
}

export type ResponseBody = string | Buffer | Uint8Array | Readable | null | undefined;

export interface GatewayResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: ResponseBody;
}

export type Handler = (request: GatewayRequest) => Promise<GatewayResponse> | GatewayResponse;

export interface Service {
  name: string;
  /** e.g. `/auth/v1`; services with their own port (the mail inbox) have none. */
  prefix?: string;
  handle?: Handler;
  /** The service answers CORS itself, preflights included (Edge Functions do, as on Supabase). */
  ownsCors?: boolean;
  /** WebSocket upgrades under the prefix (Realtime). */
  upgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Health details merged into the gateway's /health answer. */
  health?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  close?: () => Promise<void>;
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): GatewayResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
  body: JSON.stringify(value),
});
