// PostgREST's error answers: a body of exactly {code, message, details, hint} and the HTTP status
// PostgREST derives from the PGRST code or from the PostgreSQL SQLSTATE.
import type { GatewayResponse } from "../gateway/types.ts";

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly hint: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A PGRST100 parse error, worded as PostgREST words them. */
export function parseError(what: string, input: string, position: number, details: string): RestError {
  return new RestError(400, "PGRST100", `"failed to parse ${what} (${input})" (line 1, column ${position + 1})`, details);
}

export interface PgErrorLike {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** HTTP status PostgREST gives a PostgreSQL error (pgErrorStatus). */
export function pgErrorStatus(sqlstate: string, message: string, isAnon: boolean): number {
  if (sqlstate === "23503" || sqlstate === "23505") return 409;
  if (sqlstate === "25006") return 405;
  if (sqlstate === "42883" || sqlstate === "42P01") return 404;
  if (sqlstate === "42501") return isAnon ? 401 : 403;
  if (sqlstate === "22023") return /^role .* does not exist$/.test(message) ? 401 : 400;
  if (sqlstate === "21000") return message.endsWith("requires a WHERE clause") ? 400 : 500;
  if (sqlstate === "P0001") return 400;
  if (sqlstate === "42P17") return 500;
  if (sqlstate === "53400") return 500;
  if (/^PT\d{3}$/.test(sqlstate)) return Number(sqlstate.slice(2));
  const klass = sqlstate.slice(0, 2);
  if (["0L", "0P", "28"].includes(klass)) return 403;
  if (["08", "53"].includes(klass) || sqlstate === "57P01") return 503;
  if (["09", "25", "2D", "38", "39", "3B", "40", "54", "55", "57", "58", "F0", "HV", "P0", "XX"].includes(klass)) return 500;
  return 400;
}

/** A PostgreSQL error as PostgREST answers it, including `RAISE SQLSTATE 'PGRST'` custom errors. */
export function fromPgError(error: PgErrorLike, isAnon: boolean): RestError {
  const sqlstate = error.code ?? "XX000";
  if (sqlstate === "PGRST") {
    try {
      const body = JSON.parse(error.message) as Record<string, unknown>;
      const meta = JSON.parse(error.detail ?? "{}") as { status?: number; headers?: Record<string, string> };
      if (typeof body.code !== "string" || typeof body.message !== "string") throw new Error("shape");
      return new RestError(
        meta.status ?? 400,
        body.code,
        body.message,
        body.details ?? null,
        typeof body.hint === "string" ? body.hint : null,
        meta.headers ?? {},
      );
    } catch {
      return new RestError(
        500,
        "PGRST121",
        "Could not parse JSON in the \"RAISE SQLSTATE 'PGRST'\" error",
        `Invalid JSON value for MESSAGE: '${error.message}'`,
        "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
      );
    }
  }
  return new RestError(pgErrorStatus(sqlstate, error.message, isAnon), sqlstate, error.message, error.detail ?? null, error.hint ?? null);
}

export function errorResponse(error: RestError): GatewayResponse {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "proxy-status": `PostgREST; error=${error.code}`,
    ...error.headers,
  };
  if (error.status === 503) headers["retry-after"] = "0";
  return {
    status: error.status,
    headers,
    body: JSON.stringify({ code: error.code, details: error.details ?? null, hint: error.hint ?? null, message: error.message }),
  };
}
