// postgres_changes filters (`column=op.value`): parsing with Supabase's error texts, and matching a
// changed row's values. Filters select which changes a subscriber wants; who may see a row is
// decided by RLS in Postgres (rls-check.ts), never here.

export type FilterOperator = "eq" | "neq" | "lt" | "lte" | "gt" | "gte" | "in";

export interface ColumnFilter {
  column: string;
  op: FilterOperator;
  /** One value, or the list of `in.(a,b)`. */
  value: string | string[];
}

const OPERATORS = new Set<FilterOperator>(["eq", "neq", "lt", "lte", "gt", "gte", "in"]);
const MAX_IN_VALUES = 100;

export class FilterError extends Error {}

/** Parses `col=op.value`; throws FilterError with the message Supabase sends for bad filters. */
export function parseFilter(filter: string): ColumnFilter {
  const fail = (): never => {
    throw new FilterError(`Error parsing \`filter\` params: ${JSON.stringify([filter])}`);
  };
  const eq = filter.indexOf("=");
  if (eq <= 0) fail();
  const column = filter.slice(0, eq).trim();
  const rest = filter.slice(eq + 1);
  const dot = rest.indexOf(".");
  if (dot <= 0) fail();
  const op = rest.slice(0, dot) as FilterOperator;
  if (!OPERATORS.has(op)) fail();
  const raw = rest.slice(dot + 1);
  if (op !== "in") return { column, op, value: raw };
  const list = /^\((.*)\)$/.exec(raw);
  if (!list) fail();
  const values = splitList(list?.[1] ?? "");
  if (values.length > MAX_IN_VALUES) fail();
  return { column, op, value: values };
}

function splitList(text: string): string[] {
  if (text.trim() === "") return [];
  return text.split(",").map((item) => {
    const trimmed = item.trim();
    return trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  });
}

const NUMERIC_TYPES = new Set(["int2", "int4", "int8", "float4", "float8", "numeric", "oid"]);
const TIME_TYPES = new Set(["timestamp", "timestamptz", "date"]);

/** Compares a text column value with a filter operand the way Postgres would for common types. */
function compare(value: string, operand: string, type: string): number {
  if (NUMERIC_TYPES.has(type)) return Math.sign(Number(value) - Number(operand));
  if (TIME_TYPES.has(type)) return Math.sign(Date.parse(value.replace(" ", "T")) - Date.parse(operand.replace(" ", "T")));
  if (type === "bool") return normalizeBool(value) === normalizeBool(operand) ? 0 : normalizeBool(value) ? 1 : -1;
  if (type === "uuid") return value.toLowerCase() === operand.toLowerCase() ? 0 : value.toLowerCase() < operand.toLowerCase() ? -1 : 1;
  return value === operand ? 0 : value < operand ? -1 : 1;
}

const normalizeBool = (text: string) => ["t", "true", "1", "y", "yes", "on"].includes(text.toLowerCase());

/**
 * True when the row's (text) value for the filtered column satisfies the filter. A missing column
 * (e.g. not part of a DELETE's old identity) or a NULL never matches, as in Supabase.
 */
export function matchesFilter(
  filter: ColumnFilter,
  values: Record<string, string | null | undefined>,
  types: Record<string, string>,
): boolean {
  const value = values[filter.column];
  if (value === null || value === undefined) return false;
  const type = types[filter.column] ?? "text";
  if (filter.op === "in") return (filter.value as string[]).some((item) => compare(value, item, type) === 0);
  const result = compare(value, filter.value as string, type);
  switch (filter.op) {
    case "eq":
      return result === 0;
    case "neq":
      return result !== 0;
    case "lt":
      return result < 0;
    case "lte":
      return result <= 0;
    case "gt":
      return result > 0;
    case "gte":
      return result >= 0;
  }
  return false;
}
