// GET/HEAD on a table or view -> a read plan: the parsed query (checked to hold only parameters a
// read honours), the page asked for, and whether a body is wanted at all.
import { assertParametersApply } from "../parse/parameter-scope.ts";
import type { Preferences } from "../parse/prefer.ts";
import { type ApiQuery, parseQuery } from "../parse/query-params.ts";
import type { Relation } from "../schema-cache.ts";
import { assertAggregatesAllowed } from "./aggregates.ts";
import { type Paging, planPaging } from "./paging.ts";

export interface RequestLine {
  method: string;
  /** The query string without its `?`. */
  search: string;
  /** The `Range` header, if any. */
  range?: string;
}

/** What the in-database config lets a request use. */
export interface PlanOptions {
  aggregatesEnabled: boolean;
}

export interface ReadPlan {
  kind: "read";
  relation: Relation;
  query: ApiQuery;
  paging: Paging;
  head: boolean;
  count: Preferences["count"];
}

export function planRead(request: RequestLine, relation: Relation, prefs: Preferences, options: PlanOptions): ReadPlan {
  const query = parseQuery(request.search);
  assertParametersApply(query, "read");
  assertAggregatesAllowed(query.select, options.aggregatesEnabled);
  return {
    kind: "read",
    relation,
    query,
    paging: planPaging(request.method, request.range, query.nodes.get("")),
    head: request.method === "HEAD",
    count: prefs.count,
  };
}
