// Which query parameters each kind of request can honour. A parameter that cannot change what a
// request does is refused, never dropped: a dropped `limit` on a DELETE deletes every match.
// Checked right after parsing the query, before any body is read.
import { RestError } from "../errors.ts";
import type { ApiQuery } from "./query-params.ts";

export type RequestKind = "read" | "insert" | "update" | "delete" | "put" | "rpc-read" | "rpc-call";

const TAKES_COLUMNS: ReadonlySet<RequestKind> = new Set(["insert", "update", "put", "rpc-call"]);

function notImplemented(details: string): RestError {
  return new RestError(400, "PGRST127", "Feature not implemented", details);
}

/** Fails with PostgREST's error for a parameter `kind` cannot apply (PUT's own rules live in buildPut). */
export function assertParametersApply(query: ApiQuery, kind: RequestKind): void {
  if (query.columns !== undefined && !TAKES_COLUMNS.has(kind))
    throw notImplemented("The 'columns' parameter only applies to requests with a body: POST, PATCH and PUT");
  if (query.onConflict !== undefined && kind !== "insert")
    throw notImplemented("The 'on_conflict' parameter only applies to inserts (POST)");
  const root = query.nodes.get("") ?? { filters: [] };
  const paged = root.limit !== undefined || root.offset !== undefined;
  if (kind === "insert" && paged) throw notImplemented("'limit' and 'offset' cannot restrict an insert");
  // PostgREST 10-12's limited update/delete (13 dropped it and ignores the parameters, which widens
  // the write to every match): the rows to change are the first of an explicit order.
  if ((kind === "update" || kind === "delete") && paged && !root.order?.length)
    throw new RestError(
      400,
      "PGRST109",
      "A 'limit' was applied without an explicit 'order'",
      null,
      "Apply an 'order' using unique column(s)",
    );
}
