// Schema cache values for the plan layer's unit tests: plans are pure, so they need no database.
import type { FunctionArg, Relation, RestFunction, SchemaCache } from "../schema-cache.ts";
import { relationKey } from "../schema-cache.ts";

export const films: Relation = {
  schema: "public",
  name: "films",
  kind: "table",
  columns: [
    { name: "id", type: "integer", udt: "int4", nullable: false, default: null, description: null },
    { name: "title", type: "text", udt: "text", nullable: true, default: null, description: null },
  ],
  primaryKey: ["id"],
  uniqueKeys: [["id"]],
  description: null,
};

export const filmLog: Relation = { ...films, name: "film_log", primaryKey: [], uniqueKeys: [] };

export function fn(name: string, args: Partial<FunctionArg>[], extra: Partial<RestFunction> = {}): RestFunction {
  return {
    schema: "public",
    name,
    args: args.map((a) => ({ name: "", type: "integer", optional: false, variadic: false, ...a })),
    returnsSet: false,
    returnType: "integer",
    returnKind: "scalar",
    returnRelation: null,
    outColumns: [],
    volatility: "v",
    description: null,
    ...extra,
  };
}

export function cacheWith(functions: RestFunction[]): SchemaCache {
  const byName = new Map<string, RestFunction[]>();
  for (const f of functions) byName.set(relationKey(f.schema, f.name), [...(byName.get(relationKey(f.schema, f.name)) ?? []), f]);
  return {
    relations: new Map([films, filmLog].map((r) => [relationKey(r.schema, r.name), r])),
    foreignKeys: [],
    functions: byName,
    roleSettings: new Map(),
    preRequest: null,
    schemaDescriptions: new Map(),
  };
}
