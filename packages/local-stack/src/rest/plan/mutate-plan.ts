// POST/PATCH/PUT/DELETE on a table -> a mutation plan: the parsed query (checked before any body is
// read), which of PostgREST's write rules apply, and whether the write is an upsert.
import { RestError } from "../errors.ts";
import { assertParametersApply, type RequestKind } from "../parse/parameter-scope.ts";
import type { Preferences } from "../parse/prefer.ts";
import { type ApiQuery, parseQuery } from "../parse/query-params.ts";
import type { Relation } from "../schema-cache.ts";
import { assertAggregatesAllowed } from "./aggregates.ts";
import type { PlanOptions, RequestLine } from "./read-plan.ts";

export type MutationMethod = "POST" | "PATCH" | "PUT" | "DELETE";

export interface MutatePlan {
  kind: "mutate";
  method: MutationMethod;
  relation: Relation;
  query: ApiQuery;
  /** DELETE has no body; the others read it only after this plan is made. */
  takesBody: boolean;
  /** Answered as `vnd.pgrst.object`: exactly one row or roll back. */
  singular: boolean;
  /** `Prefer: max-affected=N`, honoured only with handling=strict and only by PATCH/DELETE. */
  maxAffected: number | undefined;
  /** POST applies root filters to the inserted rows (PostgREST checks them on RETURNING). */
  applyRootFilters: boolean;
  /** POST with `resolution=` and a conflict target (on_conflict or a primary key). */
  upsert: boolean;
}

const KINDS: Record<MutationMethod, RequestKind> = { POST: "insert", PATCH: "update", PUT: "put", DELETE: "delete" };

export const isMutationMethod = (method: string): method is MutationMethod => method in KINDS;

export function planMutation(
  request: RequestLine,
  relation: Relation,
  prefs: Preferences,
  singular: boolean,
  options: PlanOptions,
): MutatePlan {
  const method = request.method;
  if (!isMutationMethod(method)) throw new RestError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
  const query = parseQuery(request.search);
  assertParametersApply(query, KINDS[method]);
  assertAggregatesAllowed(query.select, options.aggregatesEnabled);
  const limited = method === "PATCH" || method === "DELETE";
  return {
    kind: "mutate",
    method,
    relation,
    query,
    takesBody: method !== "DELETE",
    singular,
    maxAffected: limited && prefs.handling === "strict" ? prefs.maxAffected : undefined,
    applyRootFilters: method === "POST",
    upsert: method === "POST" && prefs.resolution !== undefined && (query.onConflict !== undefined || relation.primaryKey.length > 0),
  };
}
