// `GET /rest/v1/`: a Swagger 2.0 description of the exposed schema, built from the schema cache
// (tables/views with typed properties, RPCs), as far as clients and tools need it.
import type { GatewayResponse } from "../gateway/types.ts";
import type { Column, SchemaCache } from "./schema-cache.ts";

interface OpenApiSettings {
  externalUrl: string;
}

function jsonType(column: Column): Record<string, unknown> {
  const t = column.udt;
  const format = column.type;
  if (t.startsWith("_")) return { type: "array", items: { type: "string" }, format };
  if (["int2", "int4", "int8"].includes(t)) return { type: "integer", format };
  if (["float4", "float8", "numeric"].includes(t)) return { type: "number", format };
  if (t === "bool") return { type: "boolean", format };
  if (t === "json" || t === "jsonb") return { format };
  return { type: "string", format };
}

export function openApiDocument(cache: SchemaCache, schema: string, settings: OpenApiSettings, head: boolean): GatewayResponse {
  const url = new URL(settings.externalUrl);
  const paths: Record<string, unknown> = {
    "/": {
      get: {
        produces: ["application/openapi+json", "application/json"],
        responses: { 200: { description: "OK" } },
        summary: "OpenAPI description (this document)",
        tags: ["Introspection"],
      },
    },
  };
  const definitions: Record<string, unknown> = {};
  for (const r of cache.relations.values()) {
    if (r.schema !== schema) continue;
    const ref = { $ref: `#/definitions/${r.name}` };
    const rowFilters = r.columns.map((c) => ({ $ref: `#/parameters/rowFilter.${r.name}.${c.name}` }));
    const ops: Record<string, unknown> = {
      get: {
        tags: [r.name],
        summary: r.description ?? undefined,
        parameters: [
          ...rowFilters,
          { $ref: "#/parameters/select" },
          { $ref: "#/parameters/order" },
          { $ref: "#/parameters/range" },
          { $ref: "#/parameters/offset" },
          { $ref: "#/parameters/limit" },
        ],
        responses: { 200: { description: "OK", schema: { type: "array", items: ref } }, 206: { description: "Partial Content" } },
      },
    };
    if (r.kind === "table" || r.kind === "partitioned_table") {
      ops.post = {
        tags: [r.name],
        parameters: [{ $ref: `#/parameters/body.${r.name}` }, { $ref: "#/parameters/select" }, { $ref: "#/parameters/preferPost" }],
        responses: { 201: { description: "Created" } },
      };
      ops.patch = {
        tags: [r.name],
        parameters: [...rowFilters, { $ref: `#/parameters/body.${r.name}` }, { $ref: "#/parameters/preferReturn" }],
        responses: { 204: { description: "No Content" } },
      };
      ops.delete = {
        tags: [r.name],
        parameters: [...rowFilters, { $ref: "#/parameters/preferReturn" }],
        responses: { 204: { description: "No Content" } },
      };
    }
    paths[`/${r.name}`] = ops;
    definitions[r.name] = {
      description: r.description ?? undefined,
      required: r.columns.filter((c) => !c.nullable && c.default === null).map((c) => c.name),
      properties: Object.fromEntries(
        r.columns.map((c) => [
          c.name,
          {
            ...jsonType(c),
            description:
              [c.description, r.primaryKey.includes(c.name) ? "Note:\nThis is a Primary Key.<pk/>" : null].filter(Boolean).join("\n\n") ||
              undefined,
            default: c.default ?? undefined,
          },
        ]),
      ),
      type: "object",
    };
  }
  for (const fns of cache.functions.values()) {
    for (const fn of fns) {
      if (fn.schema !== schema) continue;
      const op = {
        tags: [`(rpc) ${fn.name}`],
        summary: fn.description ?? undefined,
        produces: ["application/json", "application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json"],
        responses: { 200: { description: "OK" } },
      };
      paths[`/rpc/${fn.name}`] = fn.volatility === "v" ? { post: op } : { get: op, post: op };
    }
  }
  const doc = {
    swagger: "2.0",
    info: { description: cache.schemaDescriptions.get(schema) ?? "", title: "standard public schema", version: "14.1" },
    host: url.host,
    basePath: "/",
    schemes: [url.protocol.replace(":", "")],
    consumes: ["application/json", "application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json", "text/csv"],
    produces: ["application/json", "application/vnd.pgrst.object+json;nulls=stripped", "application/vnd.pgrst.object+json", "text/csv"],
    paths,
    definitions,
    parameters: {
      select: { name: "select", description: "Filtering Columns", required: false, in: "query", type: "string" },
      order: { name: "order", description: "Ordering", required: false, in: "query", type: "string" },
      range: { name: "Range", description: "Limiting and Pagination", required: false, in: "header", type: "string" },
      offset: { name: "offset", description: "Limiting and Pagination", required: false, in: "query", type: "string" },
      limit: { name: "limit", description: "Limiting and Pagination", required: false, in: "query", type: "string" },
      on_conflict: { name: "on_conflict", description: "On Conflict", required: false, in: "query", type: "string" },
      columns: { name: "columns", description: "specifies the columns to be inserted", required: false, in: "query", type: "string" },
      preferReturn: {
        name: "Prefer",
        description: "Preference",
        required: false,
        in: "header",
        type: "string",
        enum: ["return=representation", "return=minimal", "return=none"],
      },
      preferPost: {
        name: "Prefer",
        description: "Preference",
        required: false,
        in: "header",
        type: "string",
        enum: ["return=representation", "return=minimal", "return=none", "resolution=ignore-duplicates", "resolution=merge-duplicates"],
      },
    },
  };
  return {
    status: 200,
    headers: { "content-type": "application/openapi+json; charset=utf-8" },
    body: head ? undefined : JSON.stringify(doc),
  };
}
