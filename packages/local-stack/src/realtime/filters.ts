// postgres_changes filters (`column=op.value`, `not.` negation, commas for AND): parsing with
// Supabase's error texts, and matching a changed row's values as Realtime's SQL does. Filters
// select which changes a subscriber wants; who may see a row is decided by RLS in Postgres
// (rls-check.ts), never here. The pattern operators (like, ilike, match, imatch) are not matched
// here: JavaScript's backtracking engine would let one subscriber's pattern stall the process, so
// Postgres's own engines run them (pattern-filters.ts).

export type FilterOperator =
  | "eq"
  | "neq"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "in"
  | "like"
  | "ilike"
  | "is"
  | "match"
  | "imatch"
  | "isdistinct";

export interface ColumnFilter {
  column: string;
  op: FilterOperator;
  /** One value, or the list of `in.(a,b)`. */
  value: string | string[];
  /** The `not.` prefix. */
  negate: boolean;
}

export type PatternOperator = "like" | "ilike" | "match" | "imatch";
const PATTERN_OPERATORS = new Set<string>(["like", "ilike", "match", "imatch"]);

/** A filter Postgres must decide (see pattern-filters.ts). */
export const isPatternFilter = (filter: ColumnFilter): filter is ColumnFilter & { op: PatternOperator; value: string } =>
  PATTERN_OPERATORS.has(filter.op);

const OPERATORS = new Set<string>(["eq", "neq", "lt", "lte", "gt", "gte", "in", "like", "ilike", "is", "match", "imatch", "isdistinct"]);
const IS_VALUES = new Set(["null", "true", "false", "unknown"]);
const MAX_IN_VALUES = 100;

export class FilterError extends Error {}

/** A list shown as Elixir's inspect shows it, as Supabase's error texts do. */
const inspectList = (items: string[]) => `[${items.map((item) => JSON.stringify(item)).join(", ")}]`;

/**
 * Parses a filter string into the filters that must all hold. Empty or blank means no filter.
 * Throws FilterError with the message Supabase sends for a bad filter.
 */
export function parseFilters(filter: string): ColumnFilter[] {
  const trimmed = filter.trim();
  if (trimmed === "") return [];
  return splitTopLevel(trimmed).map(parseSegment);
}

const fail = (reason: string): never => {
  throw new FilterError(`Error parsing \`filter\` params: ${reason}`);
};

function parseSegment(segment: string): ColumnFilter {
  const text = segment.trim();
  if (text === "") fail("filter must not contain empty segments (check for extra commas)");
  const eq = text.indexOf("=");
  if (eq < 0) fail(inspectList([text]));
  const column = text.slice(0, eq);
  let rest = text.slice(eq + 1);
  const negate = rest.startsWith("not.");
  if (negate) rest = rest.slice("not.".length);
  const dot = rest.indexOf(".");
  if (dot < 0) fail(inspectList([rest]));
  const op = rest.slice(0, dot);
  const raw = rest.slice(dot + 1);
  if (!OPERATORS.has(op)) fail(inspectList([op, raw]));
  const filter: ColumnFilter = { column, op: op as FilterOperator, value: raw, negate };
  if (op === "in") {
    if (raw.length < 2 || !raw.startsWith("(") || !raw.endsWith(")")) fail("`in` filter value must be wrapped by parentheses");
    const values = splitList(raw.slice(1, -1));
    if (values.length > MAX_IN_VALUES) fail("too many values for `in` filter. Maximum 100");
    filter.value = values;
    return filter;
  }
  filter.value = unquote(raw);
  if (op === "is" && !IS_VALUES.has(filter.value)) fail("invalid value for is filter: must be null, true, false, or unknown");
  return filter;
}

/** Splits on commas outside parentheses and double-quoted values (a quote opens after `.`, `(` or `,`). */
function splitTopLevel(text: string, openingQuoteAllowed = false): string[] {
  const parts: string[] = [];
  let current = "";
  let depth = 0;
  let quoted = false;
  let previous = openingQuoteAllowed ? "," : "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === "\\" && i + 1 < text.length) {
        current += char + text[++i];
        previous = text[i];
        continue;
      }
      if (char === '"') quoted = false;
      current += char;
    } else if (char === '"' && (previous === "." || previous === "(" || previous === ",")) {
      quoted = true;
      current += char;
    } else if (char === "(") {
      depth++;
      current += char;
    } else if (char === ")") {
      depth = Math.max(0, depth - 1);
      current += char;
    } else if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
    previous = char;
  }
  parts.push(current);
  return parts;
}

/** `"a \"b\""` -> `a "b"`; anything not a single well-formed quoted string stays as it is. */
function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  let out = "";
  for (let i = 1; i < value.length; i++) {
    const char = value[i];
    if (char === "\\" && i + 1 < value.length) out += value[++i];
    else if (char === '"') return i === value.length - 1 ? out : value;
    else out += char;
  }
  return value;
}

/** The items of `in.(a,"b,c")`, as Postgres reads the array literal `{a,"b,c"}`. */
function splitList(text: string): string[] {
  if (text.trim() === "") return [];
  return splitTopLevel(text, true).map((item) => unquote(item.trim()));
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
 * True when the row's (text) value for the filtered column satisfies the filter, with SQL's
 * three-valued logic: a comparison with NULL is unknown, so it fails with or without `not.`;
 * only `is` and `isdistinct` decide on NULL. A column missing from the change (e.g. not part of a
 * DELETE's old identity) never matches, as in Supabase. A pattern filter is only screened here:
 * true means there is a value for Postgres to test (pattern-filters.ts decides).
 */
export function matchesFilter(
  filter: ColumnFilter,
  values: Record<string, string | null | undefined>,
  types: Record<string, string>,
): boolean {
  const value = values[filter.column];
  if (value === undefined) return false;
  if (isPatternFilter(filter)) return value !== null;
  const type = types[filter.column] ?? "text";
  const operand = filter.value as string;
  if (filter.op === "is") {
    const result =
      operand === "null"
        ? value === null
        : operand === "unknown"
          ? value === null
          : value !== null && normalizeBool(value) === (operand === "true");
    return result !== filter.negate;
  }
  if (filter.op === "isdistinct") return (value === null || compare(value, operand, type) !== 0) !== filter.negate;
  if (value === null) return false;
  return holds(filter, value, type) !== filter.negate;
}

function holds(filter: ColumnFilter, value: string, type: string): boolean {
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

/** Every filter of a binding must hold (comma-separated filters are ANDed). */
export function matchesFilters(
  filters: ColumnFilter[],
  values: Record<string, string | null | undefined>,
  types: Record<string, string>,
): boolean {
  return filters.every((filter) => matchesFilter(filter, values, types));
}
