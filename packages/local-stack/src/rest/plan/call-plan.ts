// `/rpc/<fn>` -> a call plan: the query (on GET/HEAD, parameters whose value has no operator
// are arguments, as in PostgREST), the function the arguments resolve to, the page, and the transaction
// access PostgREST gives it (READ WRITE only for a VOLATILE function called by POST).
import { RestError } from "../errors.ts";
import { assertParametersApply } from "../parse/parameter-scope.ts";
import type { Preferences } from "../parse/prefer.ts";
import { type ApiQuery, parseQuery } from "../parse/query-params.ts";
import type { SchemaCache } from "../schema-cache.ts";
import { assertAggregatesAllowed } from "./aggregates.ts";
import { type Paging, planPaging } from "./paging.ts";
import type { PlanOptions, RequestLine } from "./read-plan.ts";
import { type CallBodyType, chooseFunction, type RpcCall } from "./resolve-function.ts";

export interface CallPlan {
  kind: "call";
  call: RpcCall;
  query: ApiQuery;
  paging: Paging;
  head: boolean;
  readOnly: boolean;
  /** A write answered as `vnd.pgrst.object`: exactly one row or roll back. */
  requireOne: boolean;
  maxAffected: number | undefined;
}

export interface CallTarget {
  cache: SchemaCache;
  schema: string;
  name: string;
}

/** A POST's body: its type, and its value when it names arguments (JSON or a form). */
export interface CallBody {
  type: CallBodyType;
  value: unknown;
}

/** Step one, before any body is read: the method and the query string. */
export function parseCallQuery(request: RequestLine, options: PlanOptions): ApiQuery {
  const isPost = request.method === "POST";
  if (!isPost && request.method !== "GET" && request.method !== "HEAD")
    throw new RestError(405, "PGRST101", "Only GET, HEAD or POST are allowed for this resource");
  const query = parseQuery(request.search, !isPost);
  assertParametersApply(query, isPost ? "rpc-call" : "rpc-read");
  assertAggregatesAllowed(query.select, options.aggregatesEnabled);
  return query;
}

/** Argument names a call gives: the keys of a POSTed object (narrowed by `columns`), else the query's. */
export function givenArguments(query: ApiQuery, body: CallBody | undefined): string[] {
  if (body === undefined) return [...query.args.keys()];
  const value = body.value;
  const keys = value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value) : [];
  return query.columns ? keys.filter((key) => query.columns?.includes(key)) : keys;
}

/** Step two: `body` is the POST body (undefined on GET/HEAD). */
export function planCall(
  request: RequestLine,
  target: CallTarget,
  query: ApiQuery,
  body: CallBody | undefined,
  prefs: Preferences,
  singular: boolean,
): CallPlan {
  const isPost = request.method === "POST";
  const call = chooseFunction(target.cache, target.schema, target.name, {
    given: givenArguments(query, body),
    post: isPost,
    bodyType: body?.type ?? "json",
  });
  const readOnly = !isPost || call.fn.volatility !== "v";
  const maxAffected = prefs.handling === "strict" ? prefs.maxAffected : undefined;
  if (maxAffected !== undefined && !call.fn.returnsSet)
    throw new RestError(400, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict");
  return {
    kind: "call",
    call,
    query,
    paging: planPaging(request.method, request.range, query.nodes.get("")),
    head: request.method === "HEAD",
    readOnly,
    requireOne: singular && !readOnly,
    maxAffected,
  };
}
