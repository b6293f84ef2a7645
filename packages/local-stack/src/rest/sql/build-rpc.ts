// Calls a function (`/rpc/<fn>`) the plan resolved (plan/resolve-function.ts): binds the arguments
// (POST: one JSON value expanded by json_to_record; GET: one text bind per argument, cast to the
// argument's type), and reads the result like a table (filters, order, embeds) or as a scalar.
import { RestError } from "../errors.ts";
import type { ApiQuery } from "../parse/query-params.ts";
import type { RpcCall } from "../plan/resolve-function.ts";
import { type Relation, type RestFunction, relationKey, type SchemaCache } from "../schema-cache.ts";
import type { BuiltStatement } from "./build-mutate.ts";
import { assertPathsUsed, buildRead, type ReadContext } from "./build-read.ts";
import { ident, Params, qualified } from "./fragments.ts";
import { type BodyShape, wrapStatement } from "./wrap.ts";

export interface RpcInput {
  cache: SchemaCache;
  call: RpcCall;
  query: ApiQuery;
  /** POST body (JSON text) or null for GET/HEAD (arguments from the query string). */
  body: string | null;
  shape: BodyShape;
  stripNulls: boolean;
  count: boolean;
  limit?: number | null;
  offset?: number;
  maxRows: number | null;
  /** A volatile call answered as `vnd.pgrst.object`: exactly one row or roll back. */
  requireOne?: boolean;
  /** `Prefer: max-affected=N` with handling=strict: more rows roll back (PGRST124). */
  maxAffected?: number;
}

function resultRelation(cache: SchemaCache, fn: RestFunction): Relation | null {
  if (fn.returnRelation) return cache.relations.get(relationKey(fn.returnRelation.schema, fn.returnRelation.name)) ?? null;
  if (fn.outColumns.length) {
    return {
      schema: fn.schema,
      name: fn.name,
      kind: "view",
      columns: fn.outColumns.map((name) => ({ name, type: "", udt: "", nullable: true, default: null, description: null })),
      primaryKey: [],
      uniqueKeys: [],
      description: null,
    };
  }
  return null;
}

export function buildRpc(input: RpcInput): BuiltStatement & { scalar: boolean; isVoid: boolean } {
  const { fn, args } = input.call;
  const params = new Params();
  const target = qualified(fn.schema, fn.name);
  let from: string;
  let call: string;
  if (args === "raw") {
    from = "";
    call = `${target}(${params.add(input.body ?? "{}")}::${fn.args[0].type})`;
  } else if (input.body !== null) {
    const used = fn.args.filter((a) => args.includes(a.name));
    from = used.length
      ? `json_to_record(${params.add(input.body.trim() === "" ? "{}" : input.body)}::json) AS pgrst_args(${used.map((a) => `${ident(a.name)} ${a.type}`).join(", ")}) CROSS JOIN LATERAL `
      : "";
    call = `${target}(${used.map((a) => `${a.variadic ? "VARIADIC " : ""}${ident(a.name)} := pgrst_args.${ident(a.name)}`).join(", ")})`;
  } else {
    from = "";
    const used = fn.args.filter((a) => args.includes(a.name));
    call = `${target}(${used
      .map((a) => {
        const values = input.query.args.get(a.name) ?? [];
        // Only a variadic parameter takes repeats; keeping one value would drop the others.
        if (values.length > 1 && !a.variadic)
          throw new RestError(
            400,
            "PGRST127",
            "Feature not implemented",
            `The argument '${a.name}' is given ${values.length} times but is not variadic`,
          );
        const value = a.variadic ? `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}` : values[0];
        return `${a.variadic ? "VARIADIC " : ""}${ident(a.name)} := ${params.add(value ?? null)}::${a.type}`;
      })
      .join(", ")})`;
  }
  const scalar = fn.returnKind === "scalar" || fn.returnKind === "void";
  const relation = scalar ? null : resultRelation(input.cache, fn);
  const source = scalar ? `${from}${call} AS ${ident(fn.name)}(pgrst_scalar)` : `${from}${call} AS ${ident(fn.name)}`;
  const ctx: ReadContext = {
    cache: input.cache,
    params,
    nodes: input.query.nodes,
    maxRows: input.maxRows,
    counter: 0,
    usedPaths: new Set(),
  };
  const items = scalar ? [{ kind: "field" as const, name: "pgrst_scalar", json: [] }] : input.query.select;
  const read = buildRead(ctx, { from: source, alias: fn.name, relation }, items, { path: [], limit: input.limit, offset: input.offset });
  assertPathsUsed(ctx);
  const shape: BodyShape =
    input.shape === "none" || input.shape === "csv"
      ? input.shape
      : scalar
        ? fn.returnsSet
          ? "scalar-set"
          : "scalar"
        : fn.returnsSet
          ? input.shape
          : "object";
  const sql = wrapStatement({
    ctes: [`pgrst_source AS (${read.sql})`],
    rows: "SELECT * FROM pgrst_source",
    shape,
    stripNulls: input.stripNulls,
    countSql: input.count ? read.countSql : null,
    requireOne: input.requireOne,
    maxAffected: input.maxAffected,
  });
  return { sql, params: params.values, scalar, isVoid: fn.returnKind === "void" };
}
