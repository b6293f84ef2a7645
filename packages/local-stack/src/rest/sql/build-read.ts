// Builds the SELECT for a read (or for shaping the rows a mutation/RPC returned): columns,
// embedded resources as LATERAL joins aggregated to JSON in Postgres, filters, order and paging.
import { RestError } from "../errors.ts";
import type { Filter, LogicTree } from "../parse/filters.ts";
import type { NodeModifiers } from "../parse/query-params.ts";
import { outputName, type SelectEmbed, type SelectField, type SelectItem } from "../parse/select.ts";
import { findRelationship, isToOne, type Relationship } from "../plan/relationships.ts";
import type { Relation, SchemaCache } from "../schema-cache.ts";
import { assertColumn, columnExpression, filterCondition, ident, orderTerm, type Params, qualified } from "./fragments.ts";

export interface ReadContext {
  cache: SchemaCache;
  params: Params;
  nodes: Map<string, NodeModifiers>;
  /** Caps every read node; null = unlimited. */
  maxRows: number | null;
  counter: number;
  usedPaths: Set<string>;
}

export interface ReadSource {
  /** FROM item, e.g. `"public"."films" AS "films"`. */
  from: string;
  alias: string;
  /** Known shape (null: the columns are not known, e.g. an RPC returning `setof record`). */
  relation: Relation | null;
}

export interface ReadOptions {
  path: string[];
  /** Correlation conditions from the parent (embeds). */
  where?: string[];
  /** Apply this node's filters (false when a mutation already applied them). */
  applyFilters?: boolean;
  /** Paging for this node: explicit values (root, after Range), or the node's own modifiers. */
  limit?: number | null;
  offset?: number;
  applyPaging?: boolean;
}

export interface BuiltRead {
  /** The whole SELECT. */
  sql: string;
  /** `SELECT 1 FROM ... WHERE ...` without order/paging, for counting. */
  countSql: string;
  /** Output keys, in order (for spreads). */
  outputs: string[];
}

interface EmbedJoin {
  item: SelectEmbed;
  key: string;
  rel: Relationship;
  lateral: string;
  join: string;
  outputs: string[];
  /** Per output: an aggregate hoisted from a to-one spread (so not a GROUP BY term). */
  hoisted: boolean[];
  /** Keys the embed adds to its parent's objects. */
  names: string[];
  /** SQL that is true when the embed found rows (for `rel=is.null` / `!inner`). */
  present: string;
}

function modifiersFor(ctx: ReadContext, path: string[]): NodeModifiers {
  const key = path.join(".");
  ctx.usedPaths.add(key);
  return ctx.nodes.get(key) ?? { filters: [] };
}

function embedSource(ctx: ReadContext, rel: Relationship, parentAlias: string): { from: string; alias: string; where: string[] } {
  const n = ++ctx.counter;
  const alias = `${rel.target.name}_${n}`;
  const from = `${qualified(rel.target.schema, rel.target.name)} AS ${ident(alias)}`;
  if (rel.junction) {
    const j = rel.junction;
    const jAlias = `${j.relation.name}_${n}`;
    const joinOn = j.targetFk.columns.map(
      (c, i) => `${ident(jAlias)}.${ident(c)} = ${ident(alias)}.${ident(j.targetFk.foreignColumns[i])}`,
    );
    const where = j.sourceFk.columns.map(
      (c, i) => `${ident(jAlias)}.${ident(c)} = ${ident(parentAlias)}.${ident(j.sourceFk.foreignColumns[i])}`,
    );
    return {
      from: `${from} INNER JOIN ${qualified(j.relation.schema, j.relation.name)} AS ${ident(jAlias)} ON ${joinOn.join(" AND ")}`,
      alias,
      where,
    };
  }
  return { from, alias, where: rel.on.map(([s, t]) => `${ident(alias)}.${ident(t)} = ${ident(parentAlias)}.${ident(s)}`) };
}

function buildEmbed(ctx: ReadContext, source: ReadSource, item: SelectEmbed, path: string[]): EmbedJoin {
  if (!source.relation) throw new RestError(400, "PGRST200", `Could not find a relationship for '${item.name}' in the schema cache`);
  const rel = findRelationship(ctx.cache, source.relation, item.name, item.hint);
  const key = item.alias ?? item.name;
  const childPath = [...path, key];
  if (item.alias && !ctx.nodes.has(childPath.join(".")) && ctx.nodes.has([...path, item.name].join(".")))
    childPath[childPath.length - 1] = item.name;
  const child = embedSource(ctx, rel, source.alias);
  const toOne = isToOne(rel);
  // A to-one spread yields one row per parent, so its aggregates only mean something one level up
  // (PostgREST hoists them): the embed selects the plain values, the parent aggregates them.
  const hoist = item.spread && toOne;
  const children = hoist ? item.children.map(withoutAggregate) : item.children;
  const built = buildRead(ctx, { from: child.from, alias: child.alias, relation: rel.target }, children, {
    path: childPath,
    where: child.where,
  });
  const lateral = `pgrst_${ctx.counter}_${++ctx.counter}`;
  let sub: string;
  let outputs: string[];
  let hoisted: boolean[] = [];
  if (toOne) {
    sub = `SELECT "e".*, row_to_json("e".*)::jsonb AS pgrst_body FROM (${built.sql}) AS "e"`;
    if (item.spread) {
      const fields = hoist ? aggregatedFields(item.children, built.outputs) : [];
      outputs = built.outputs.map((o, i) => {
        const field = fields[i];
        const value = `${ident(lateral)}.${ident(o)}`;
        return `${field ? aggregateExpression(field, value) : value} AS ${ident(o)}`;
      });
      hoisted = built.outputs.map((_, i) => fields[i] !== undefined);
    } else outputs = [];
  } else if (item.spread) {
    const aggs = built.outputs.map((o) => `json_agg("e".${ident(o)})::jsonb AS ${ident(o)}`);
    sub = `SELECT ${[...aggs, "count(*) AS pgrst_rows"].join(", ")} FROM (${built.sql}) AS "e"`;
    outputs = built.outputs.map((o) => `COALESCE(${ident(lateral)}.${ident(o)}, '[]'::jsonb) AS ${ident(o)}`);
  } else {
    sub = `SELECT json_agg("e")::jsonb AS pgrst_body FROM (${built.sql}) AS "e"`;
    outputs = [];
  }
  if (!item.spread && item.children.length)
    outputs = [
      toOne ? `${ident(lateral)}.pgrst_body AS ${ident(key)}` : `COALESCE(${ident(lateral)}.pgrst_body, '[]'::jsonb) AS ${ident(key)}`,
    ];
  const present = toOne
    ? `${ident(lateral)}.pgrst_body IS NOT NULL`
    : item.spread
      ? `${ident(lateral)}.pgrst_rows > 0`
      : `${ident(lateral)}.pgrst_body IS NOT NULL`;
  const join =
    item.join === "inner"
      ? `INNER JOIN LATERAL (${sub}) AS ${ident(lateral)} ON ${toOne ? "TRUE" : present}`
      : `LEFT JOIN LATERAL (${sub}) AS ${ident(lateral)} ON TRUE`;
  const names = item.spread ? built.outputs : item.children.length ? [key] : [];
  return { item, key, rel, lateral, join, outputs, hoisted, names, present };
}

/** The field selecting the value an aggregate would take, under the aggregate's output name. */
function withoutAggregate(item: SelectItem): SelectItem {
  if (item.kind !== "field" || !item.aggregate) return item;
  if (item.name === "*") return { kind: "field", name: "*", alias: outputName(item), json: [], aggregate: "count", hoistedCount: true };
  return { kind: "field", name: item.name, alias: outputName(item), json: item.json, cast: item.cast };
}

/** Per output of a hoisting spread: the aggregated field it came from, if any. */
function aggregatedFields(items: SelectItem[], outputs: string[]): (SelectField | undefined)[] {
  const byName = new Map<string, SelectField>();
  for (const item of items) if (item.kind === "field" && item.aggregate) byName.set(outputName(item), item);
  return outputs.map((o) => byName.get(o));
}

function castTo(expr: string, cast: string | undefined): string {
  return cast ? `CAST(${expr} AS ${cast})` : expr;
}

/** `SUM(<input>)`, with the result cast when asked (`col.sum()::int`). */
function aggregateExpression(field: SelectField, input: string): string {
  return castTo(`${(field.aggregate ?? "count").toUpperCase()}(${input})`, field.aggregateCast);
}

function findEmbed(embeds: EmbedJoin[], name: string): EmbedJoin | undefined {
  return embeds.find((e) => e.key === name) ?? embeds.find((e) => e.item.name === name);
}

function condition(ctx: ReadContext, source: ReadSource, embeds: EmbedJoin[], f: Filter | LogicTree): string {
  if (f.kind === "logic") {
    const parts = f.children.map((child) => condition(ctx, source, embeds, child));
    const joined = `(${parts.join(f.op === "and" ? " AND " : " OR ")})`;
    return f.negated ? `NOT ${joined}` : joined;
  }
  if (f.path.length) {
    const embed = findEmbed(embeds, f.path[0]);
    if (!embed || f.path.length > 1 || !isToOne(embed.rel)) {
      throw new RestError(
        400,
        "PGRST108",
        `'${f.path[0]}' is not an embedded resource in this request`,
        null,
        `Verify that '${f.path[0]}' is included in the 'select' query parameter.`,
      );
    }
    assertColumn(embed.rel.target, f.column);
    return filterCondition(f, `${ident(embed.lateral)}.${ident(f.column)}`, embed.rel.target, ctx.params);
  }
  const embed =
    !f.json.length && f.operation.kind === "is" && !source.relation?.columns.some((c) => c.name === f.column)
      ? findEmbed(embeds, f.column)
      : undefined;
  if (embed && f.operation.kind === "is" && (f.operation.value === "null" || f.operation.value === "not_null")) {
    const isNull = (f.operation.value === "null") !== f.negated;
    return isNull ? `NOT (${embed.present})` : embed.present;
  }
  const lhs = columnExpression(source.alias, source.relation, f.column, f.json, ctx.params);
  return filterCondition(f, lhs, source.relation, ctx.params);
}

function capLimit(limit: number | null | undefined, maxRows: number | null): number | null {
  if (limit === undefined || limit === null) return maxRows;
  return maxRows === null ? limit : Math.min(limit, maxRows);
}

export function buildRead(ctx: ReadContext, source: ReadSource, items: SelectItem[], options: ReadOptions): BuiltRead {
  const { path } = options;
  const mods = modifiersFor(ctx, path);
  const columns: string[] = [];
  const outputs: string[] = [];
  const embeds: EmbedJoin[] = [];
  // With an aggregate in this node, every other column (by position) is a GROUP BY term.
  const groupTerms: number[] = [];
  let aggregated = false;
  for (const item of items) {
    if (item.kind === "star") {
      if (source.relation?.columns.length) {
        for (const c of source.relation.columns) {
          columns.push(`${ident(source.alias)}.${ident(c.name)}`);
          outputs.push(c.name);
          groupTerms.push(columns.length);
        }
      } else columns.push(`${ident(source.alias)}.*`);
    } else if (item.kind === "field") {
      const out = outputName(item);
      if (item.hoistedCount) {
        // count() inside a hoisting spread: a value that is never null where the embed found a row.
        columns.push(`1 AS ${ident(out)}`);
      } else if (item.aggregate) {
        const input =
          item.name === "*" ? "*" : castTo(columnExpression(source.alias, source.relation, item.name, item.json, ctx.params), item.cast);
        columns.push(`${aggregateExpression(item, input)} AS ${ident(out)}`);
        aggregated = true;
      } else if (
        item.name === "count" &&
        !item.json.length &&
        source.relation &&
        !source.relation.columns.some((c) => c.name === "count")
      ) {
        columns.push(`count(*) AS ${ident(out)}`);
      } else {
        const expr = columnExpression(source.alias, source.relation, item.name, item.json, ctx.params);
        columns.push(`${castTo(expr, item.cast)} AS ${ident(out)}`);
        groupTerms.push(columns.length);
      }
      outputs.push(out);
    } else {
      const embed = buildEmbed(ctx, source, item, path);
      embeds.push(embed);
      embed.outputs.forEach((output, i) => {
        columns.push(output);
        if (embed.hoisted[i]) aggregated = true;
        else groupTerms.push(columns.length);
      });
      outputs.push(...embed.names);
    }
  }
  const where = [...(options.where ?? [])];
  if (options.applyFilters !== false) for (const f of mods.filters) where.push(condition(ctx, source, embeds, f));
  const joins = embeds.map((e) => e.join).join(" ");
  const body = `FROM ${source.from}${joins ? ` ${joins}` : ""}${where.length ? ` WHERE ${where.join(" AND ")}` : ""}`;
  const order = (mods.order ?? []).map((term) => {
    if (term.relation) {
      const embed = findEmbed(embeds, term.relation);
      if (!embed)
        throw new RestError(
          400,
          "PGRST108",
          `'${term.relation}' is not an embedded resource in this request`,
          null,
          `Verify that '${term.relation}' is included in the 'select' query parameter.`,
        );
      if (!isToOne(embed.rel))
        throw new RestError(
          400,
          "PGRST118",
          `A related order on '${embed.rel.target.name}' is not possible`,
          `'${embed.rel.source.name}' and '${embed.rel.target.name}' do not form a many-to-one or one-to-one relationship`,
        );
      assertColumn(embed.rel.target, term.column);
      return orderTerm(term, `${ident(embed.lateral)}.${ident(term.column)}`);
    }
    return orderTerm(term, columnExpression(source.alias, source.relation, term.column, term.json, ctx.params));
  });
  let paging = "";
  if (options.applyPaging !== false) {
    const limit = capLimit(options.limit !== undefined ? options.limit : mods.limit, ctx.maxRows);
    const offset = options.offset ?? mods.offset ?? 0;
    if (limit !== null) paging += ` LIMIT ${ctx.params.add(String(limit))}::bigint`;
    if (offset) paging += ` OFFSET ${ctx.params.add(String(offset))}::bigint`;
  }
  const orderSql = order.length ? ` ORDER BY ${order.join(", ")}` : "";
  const groupSql = aggregated && groupTerms.length ? ` GROUP BY ${groupTerms.join(", ")}` : "";
  return { sql: `SELECT ${columns.join(", ")} ${body}${groupSql}${orderSql}${paging}`, countSql: `SELECT 1 ${body}`, outputs };
}

/** Fails with PGRST108 when a modifier names an embed path the select does not have. */
export function assertPathsUsed(ctx: ReadContext): void {
  for (const [key, mods] of ctx.nodes) {
    if (key === "" || ctx.usedPaths.has(key)) continue;
    if (!mods.filters.length && mods.order === undefined && mods.limit === undefined && mods.offset === undefined) continue;
    const name = key.split(".").at(-1);
    throw new RestError(
      400,
      "PGRST108",
      `'${name}' is not an embedded resource in this request`,
      null,
      `Verify that '${name}' is included in the 'select' query parameter.`,
    );
  }
}

/** A root filter on a mutation's target (no embeds involved). */
export function rootCondition(ctx: ReadContext, source: ReadSource, filter: Filter | LogicTree): string {
  return condition(ctx, source, [], filter);
}
