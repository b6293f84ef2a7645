// SQL pieces shared by the statement builders: identifier quoting, bound parameters, and the
// translation of filters and order terms. Identifiers are always quoted; values are always binds.
import { RestError } from "../errors.ts";
import { type Filter, FTS_OPERATORS, OPERATORS } from "../parse/filters.ts";
import type { OrderTerm } from "../parse/order.ts";
import type { JsonStep } from "../parse/select.ts";
import type { Relation } from "../schema-cache.ts";

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (schema: string, name: string) => `${ident(schema)}.${ident(name)}`;

/** The statement's bound values; `add` returns the `$n` placeholder. */
export class Params {
  readonly values: (string | null)[] = [];
  add(value: string | null): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** A PostgreSQL array literal `{"a","b"}` whose elements are exactly the given strings. */
export function arrayLiteral(values: string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, "\\$&")}"`).join(",")}}`;
}

export function unknownColumn(relation: Relation, column: string): RestError {
  return new RestError(400, "42703", `column ${relation.name}.${column} does not exist`);
}

const computedField = (relation: Relation | null, column: string) =>
  relation?.computedFields && Object.hasOwn(relation.computedFields, column) && !relation.columns.some((c) => c.name === column)
    ? relation.computedFields[column]
    : undefined;

/** Checks a column (or computed field) against the cache (when the relation's columns are known). */
export function assertColumn(relation: Relation | null, column: string): void {
  if (relation?.columns.length && !relation.columns.some((c) => c.name === column) && !computedField(relation, column))
    throw unknownColumn(relation, column);
}

export function columnExpression(alias: string, relation: Relation | null, column: string, json: JsonStep[], params: Params): string {
  assertColumn(relation, column);
  const computed = computedField(relation, column);
  let expr = computed ? `${computed}(${ident(alias)})` : `${ident(alias)}.${ident(column)}`;
  if (!json.length) return expr;
  const udt = computed ? undefined : relation?.columns.find((c) => c.name === column)?.udt;
  if (relation && udt !== "json" && udt !== "jsonb") expr = `to_jsonb(${expr})`;
  for (const step of json) expr += ` ${step.op} ${step.index ? String(Number(step.key)) : `${params.add(step.key)}::text`}`;
  return `(${expr})`;
}

export function filterCondition(filter: Filter, lhs: string, relation: Relation | null, params: Params): string {
  const op = filter.operation;
  let sql: string;
  switch (op.kind) {
    case "op": {
      const value = op.op === "like" || op.op === "ilike" ? op.value.replace(/\*/g, "%") : op.value;
      if (op.quantifier) {
        sql = `${lhs} ${OPERATORS[op.op]} ${op.quantifier.toUpperCase()}(${params.add(value)})`;
      } else sql = `${lhs} ${OPERATORS[op.op]} ${params.add(value)}`;
      break;
    }
    case "in":
      sql = `${lhs} = ANY(${params.add(arrayLiteral(op.values))})`;
      break;
    case "is":
      sql = `${lhs} IS ${{ null: "NULL", not_null: "NOT NULL", true: "TRUE", false: "FALSE", unknown: "UNKNOWN" }[op.value]}`;
      break;
    case "fts": {
      const udt = relation?.columns.find((c) => c.name === filter.column)?.udt;
      const config = op.config === undefined ? "" : `${params.add(op.config)}::regconfig, `;
      const vector = udt === "tsvector" || filter.json.length ? lhs : `to_tsvector(${config}${lhs})`;
      sql = `${vector} @@ ${FTS_OPERATORS[op.op]}(${config}${params.add(op.value)})`;
      break;
    }
  }
  return filter.negated ? `NOT (${sql})` : sql;
}

export function orderTerm(term: OrderTerm, expression: string): string {
  const direction = term.direction ? ` ${term.direction.toUpperCase()}` : "";
  const nulls = term.nulls ? ` NULLS ${term.nulls.toUpperCase()}` : "";
  return `${expression}${direction}${nulls}`;
}
