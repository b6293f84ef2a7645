// Parses the `select` parameter into a tree of fields and embedded resources:
// `alias:col->json->>key::cast`, `rel!hint!inner(cols)`, `...rel(cols)`, `*`, and aggregates
// `alias:count()::cast`, `alias:col->key::cast.sum()::cast` (allowed or not: plan/aggregates.ts).
import { Scanner } from "./scanner.ts";

export interface JsonStep {
  op: "->" | "->>";
  /** A key, or an array index when `index` is set. */
  key: string;
  index: boolean;
}

export interface SelectField {
  kind: "field";
  name: string;
  alias?: string;
  json: JsonStep[];
  cast?: string;
  /** `count()` has name `*`; other aggregates apply to the (json path, cast) column. */
  aggregate?: Aggregate;
  /** Cast of the aggregate's result: `amount.sum()::int`. */
  aggregateCast?: string;
  /** Set by the SQL builder only: a `count()` hoisted out of a to-one spread (sql/build-read.ts). */
  hoistedCount?: boolean;
}

export interface SelectStar {
  kind: "star";
}

export interface SelectEmbed {
  kind: "embed";
  name: string;
  alias?: string;
  hint?: string;
  join?: "inner" | "left";
  spread: boolean;
  children: SelectItem[];
}

export type SelectItem = SelectField | SelectStar | SelectEmbed;

export type Aggregate = "count" | "sum" | "avg" | "min" | "max";

const AGGREGATES: ReadonlySet<string> = new Set<Aggregate>(["count", "sum", "avg", "min", "max"]);
const CAST = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?$/;

export function parseJsonPath(s: Scanner): JsonStep[] {
  const steps: JsonStep[] = [];
  while (s.peek("->")) {
    const op = s.eat("->>") ? "->>" : (s.eat("->"), "->");
    const number = /^-?\d+/.exec(s.input.slice(s.pos));
    const afterNumber = number ? s.input[s.pos + number[0].length] : undefined;
    if (number && (afterNumber === undefined || /[-:,).]/.test(afterNumber))) {
      s.pos += number[0].length;
      steps.push({ op, key: number[0], index: true });
    } else steps.push({ op, key: s.identifier(), index: false });
  }
  return steps;
}

function parseCast(s: Scanner): string | undefined {
  if (!s.eat("::")) return undefined;
  const match = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?/.exec(s.input.slice(s.pos));
  if (!match || !CAST.test(match[0].trim())) throw s.fail("cast type");
  s.pos += match[0].length;
  return match[0].trim();
}

function parseItem(s: Scanner, depth: number): SelectItem {
  if (s.eat("*")) return { kind: "star" };
  const spread = s.eat("...");
  let name = s.identifier();
  let alias: string | undefined;
  if (s.peek(":") && !s.peek("::")) {
    s.pos++;
    alias = name;
    name = s.identifier();
  }
  if (s.peek("!") || s.peek("(")) {
    let hint: string | undefined;
    let join: SelectEmbed["join"];
    while (s.eat("!")) {
      const word = s.identifier();
      if (word === "inner" || word === "left") join = word;
      else hint = word;
    }
    if (name === "count" && !hint && !join && !spread && s.eat("()"))
      return { kind: "field", name: "*", alias, json: [], aggregate: "count", aggregateCast: parseCast(s) };
    s.expect("(");
    if (depth > 20) throw s.fail("a shallower embedding (at most 20 levels)");
    const children = s.peek(")") ? [] : parseItems(s, depth + 1);
    s.expect(")");
    return { kind: "embed", name, alias, hint, join, spread, children };
  }
  if (spread) throw s.fail('"(" after a spread resource');
  const json = parseJsonPath(s);
  const cast = parseCast(s);
  if (!s.eat(".")) return { kind: "field", name, alias, json, cast };
  const aggregate = s.identifier();
  if (!AGGREGATES.has(aggregate) || !s.eat("()")) throw s.fail("aggregate function");
  return { kind: "field", name, alias, json, cast, aggregate: aggregate as Aggregate, aggregateCast: parseCast(s) };
}

function parseItems(s: Scanner, depth: number): SelectItem[] {
  const items = [parseItem(s, depth)];
  while (s.eat(",")) items.push(parseItem(s, depth));
  return items;
}

export function parseSelect(input: string | null): SelectItem[] {
  if (input === null || input.trim() === "") return [{ kind: "star" }];
  const s = new Scanner(input, "select parameter");
  const items = parseItems(s, 0);
  if (!s.done) throw s.fail('"," or end of input');
  return items;
}

/** The key a field gets in the JSON answer: alias, else the aggregate, the last JSON key, the column. */
export function outputName(field: SelectField): string {
  if (field.alias) return field.alias;
  if (field.aggregate) return field.aggregate;
  const last = field.json.at(-1);
  return last ? last.key : field.name;
}
