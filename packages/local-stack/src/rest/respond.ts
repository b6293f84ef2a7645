// Turns the one result row into PostgREST's HTTP answer: media type negotiation, singular
// (vnd.pgrst.object) checks, Content-Range and status, response.headers / response.status GUCs.
import type { GatewayResponse } from "../gateway/types.ts";
import { RestError } from "./errors.ts";
import type { MainRow } from "./execute.ts";

export interface MediaChoice {
  kind: "array" | "object" | "csv";
  stripNulls: boolean;
  contentType: string;
}

const negotiated = new Map<string, MediaChoice>();

/** The media type for an Accept header; answers are kept per header text (clients repeat theirs). */
export function negotiate(accept: string | undefined): MediaChoice {
  const key = accept ?? "";
  let choice = negotiated.get(key);
  if (!choice) {
    choice = chooseMedia(accept);
    if (negotiated.size >= 1000) negotiated.clear();
    negotiated.set(key, choice);
  }
  return choice;
}

function chooseMedia(accept: string | undefined): MediaChoice {
  const ranges = (accept ?? "*/*")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean);
  for (const range of ranges.length ? ranges : ["*/*"]) {
    const [type, ...parameters] = range.split(";").map((p) => p.trim().toLowerCase());
    const stripNulls = parameters.includes("nulls=stripped");
    if (type === "*/*" || type === "application/json" || type === "application/*")
      return { kind: "array", stripNulls: false, contentType: "application/json; charset=utf-8" };
    // Without nulls=stripped the array media type is plain JSON, answered as application/json.
    if (type === "application/vnd.pgrst.array+json" || type === "application/vnd.pgrst.array")
      return {
        kind: "array",
        stripNulls,
        contentType: stripNulls ? "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8" : "application/json; charset=utf-8",
      };
    if (type === "application/vnd.pgrst.object+json" || type === "application/vnd.pgrst.object")
      return {
        kind: "object",
        stripNulls,
        contentType: `application/vnd.pgrst.object+json${stripNulls ? ";nulls=stripped" : ""}; charset=utf-8`,
      };
    if (type === "text/csv") return { kind: "csv", stripNulls: false, contentType: "text/csv; charset=utf-8" };
  }
  throw new RestError(406, "PGRST107", `None of these media types are available: ${ranges.join(", ")}`);
}

export function singularError(rows: number): RestError {
  return new RestError(406, "PGRST116", "Cannot coerce the result to a single JSON object", `The result contains ${rows} rows`);
}

export function contentRange(offset: number, rows: number, total: number | null): string {
  return `${rows > 0 ? `${offset}-${offset + rows - 1}` : "*"}/${total ?? "*"}`;
}

export interface AnswerInput {
  row: MainRow;
  status: number;
  media: MediaChoice;
  headers: Record<string, string>;
  head?: boolean;
  /** No body at all (return=minimal, void RPC). */
  empty?: boolean;
}

/** Applies `response.headers` (JSON array of one-key objects) and `response.status`. */
export function answer(input: AnswerInput): GatewayResponse {
  const headers: Record<string, string> = { ...input.headers };
  let status = input.status;
  if (!input.empty) headers["content-type"] = input.media.contentType;
  if (input.row.response_headers) {
    try {
      const list = JSON.parse(input.row.response_headers) as Record<string, string>[];
      for (const entry of list) for (const [k, v] of Object.entries(entry)) headers[k.toLowerCase()] = String(v);
    } catch {
      throw new RestError(500, "PGRST111", "The response.headers is not a valid JSON array of objects");
    }
  }
  if (input.row.response_status) {
    const custom = Number(input.row.response_status);
    if (!Number.isInteger(custom) || custom < 100 || custom > 599)
      throw new RestError(500, "PGRST112", `The response.status is not a valid status code: ${input.row.response_status}`);
    status = custom;
  }
  const body = input.head || input.empty ? undefined : (input.row.body ?? "");
  return { status, headers, body };
}
