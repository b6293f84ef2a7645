// Parses filters: `col=[not.]op[(any|all)].value`, `fts(config).query`, `in.(a,"b,c")`, and the
// logic trees of `or=(...)` / `and=(...)` / `not.or=(...)`.
import { parseError } from "../errors.ts";
import { Scanner } from "./scanner.ts";
import { type JsonStep, parseJsonPath } from "./select.ts";

export const OPERATORS = {
  eq: "=",
  neq: "<>",
  gt: ">",
  gte: ">=",
  lt: "<",
  lte: "<=",
  like: "LIKE",
  ilike: "ILIKE",
  match: "~",
  imatch: "~*",
  cs: "@>",
  cd: "<@",
  ov: "&&",
  sl: "<<",
  sr: ">>",
  nxr: "&<",
  nxl: "&>",
  adj: "-|-",
  isdistinct: "IS DISTINCT FROM",
} as const;

export const FTS_OPERATORS = {
  fts: "to_tsquery",
  plfts: "plainto_tsquery",
  phfts: "phraseto_tsquery",
  wfts: "websearch_to_tsquery",
} as const;

const QUANTIFIABLE = new Set(["eq", "gt", "gte", "lt", "lte", "like", "ilike", "match", "imatch"]);

export type Operation =
  | { kind: "op"; op: keyof typeof OPERATORS; quantifier?: "any" | "all"; value: string }
  | { kind: "in"; values: string[] }
  | { kind: "is"; value: "null" | "not_null" | "true" | "false" | "unknown" }
  | { kind: "fts"; op: keyof typeof FTS_OPERATORS; config?: string; value: string };

export interface Filter {
  kind: "filter";
  /** Embed path (aliases or names) leading to the column; empty at the root. */
  path: string[];
  column: string;
  json: JsonStep[];
  negated: boolean;
  operation: Operation;
}

export interface LogicTree {
  kind: "logic";
  path: string[];
  op: "and" | "or";
  negated: boolean;
  children: (Filter | LogicTree)[];
}

/** Reads `[not.]op[(mod)].value` from the scanner; in a logic tree `value` stops at `,` or `)`. */
function parseOperation(s: Scanner, inTree: boolean): { negated: boolean; operation: Operation } {
  const negated = s.eat("not.");
  const opMatch = /^[a-z]+/.exec(s.input.slice(s.pos));
  if (!opMatch) throw s.fail("operator (eq, gt, ...)");
  const op = opMatch[0];
  s.pos += op.length;
  const rest = () => {
    if (inTree) return treeValue(s);
    const value = s.input.slice(s.pos);
    s.pos = s.input.length;
    return value;
  };
  if (op in FTS_OPERATORS) {
    let config: string | undefined;
    if (s.eat("(")) {
      config = s.identifier();
      s.expect(")");
    }
    s.expect(".");
    return { negated, operation: { kind: "fts", op: op as keyof typeof FTS_OPERATORS, config, value: rest() } };
  }
  if (op === "in") {
    s.expect(".");
    return { negated, operation: { kind: "in", values: parseList(s) } };
  }
  if (op === "is") {
    s.expect(".");
    const start = s.pos;
    const value = rest().toLowerCase();
    if (!["null", "not_null", "true", "false", "unknown"].includes(value)) {
      s.pos = start;
      throw s.fail("null or trilean value (unknown, true, false)");
    }
    return { negated, operation: { kind: "is", value: value as "null" } };
  }
  if (!(op in OPERATORS)) {
    s.pos -= op.length;
    throw s.fail("operator (eq, gt, ...)");
  }
  let quantifier: "any" | "all" | undefined;
  if (s.eat("(any)")) quantifier = "any";
  else if (s.eat("(all)")) quantifier = "all";
  if (quantifier && !QUANTIFIABLE.has(op)) throw s.fail('"." after the operator');
  s.expect(".");
  return { negated, operation: { kind: "op", op: op as keyof typeof OPERATORS, quantifier, value: rest() } };
}

/** `(a,"b,c",d)` -> ["a", "b,c", "d"]; `()` -> []. */
function parseList(s: Scanner): string[] {
  s.expect("(");
  const values: string[] = [];
  if (s.eat(")")) return values;
  do {
    values.push(s.peek('"') ? s.quoted() : readUntil(s, ",)"));
  } while (s.eat(","));
  s.expect(")");
  return values;
}

function readUntil(s: Scanner, stops: string): string {
  const start = s.pos;
  while (!s.done && !stops.includes(s.input[s.pos])) s.pos++;
  return s.input.slice(start, s.pos);
}

/** A value inside a logic tree: "quoted", {braced,list}, (parenthesised,list) or plain up to , or ). */
function treeValue(s: Scanner): string {
  if (s.peek('"')) return s.quoted();
  const start = s.pos;
  let depth = 0;
  while (!s.done) {
    const c = s.input[s.pos];
    if (c === "{" || c === "(") depth++;
    else if (c === "}" || (c === ")" && depth > 0)) depth--;
    else if (depth === 0 && (c === "," || c === ")")) break;
    s.pos++;
  }
  return s.input.slice(start, s.pos);
}

/** A filter given as a query parameter: key `[embed.]col[json]`, value `[not.]op.value`. */
/** Whether `value` reads as `[not.]op.value`; on RPC GET/HEAD, a value that does not is an argument. */
export function parsesAsOperation(value: string): boolean {
  try {
    parseOperation(new Scanner(value, "filter"), false);
    return true;
  } catch {
    return false;
  }
}

export function parseFilter(key: string, value: string): Filter {
  const k = new Scanner(key, "filter");
  const names = [k.identifier()];
  while (k.eat(".")) names.push(k.identifier());
  const json = parseJsonPath(k);
  if (!k.done) throw k.fail('"." or "->" or end of input');
  const v = new Scanner(value, "filter");
  const { negated, operation } = parseOperation(v, false);
  return { kind: "filter", path: names.slice(0, -1), column: names[names.length - 1], json, negated, operation };
}

function parseTreeItem(s: Scanner, depth: number): Filter | LogicTree {
  if (depth > 20) throw s.fail("a shallower logic tree");
  const negated = s.peek("not.and(") || s.peek("not.or(") ? (s.eat("not."), true) : false;
  for (const op of ["and", "or"] as const) {
    if (s.eat(`${op}(`)) {
      s.pos--;
      return { kind: "logic", path: [], op, negated, children: parseTreeChildren(s, depth + 1) };
    }
  }
  const names = [s.identifier()];
  const json: JsonStep[] = [];
  while (s.peek(".") || s.peek("->")) {
    if (s.peek("->")) {
      json.push(...parseJsonPath(s));
      s.expect(".");
      break;
    }
    s.pos++;
    const save = s.pos;
    const word = /^[a-z]+/.exec(s.input.slice(s.pos))?.[0];
    if (word && (word === "not" || word in OPERATORS || word in FTS_OPERATORS || word === "in" || word === "is")) {
      s.pos = save;
      break;
    }
    names.push(s.identifier());
  }
  const { negated: opNegated, operation } = parseOperation(s, true);
  return { kind: "filter", path: names.slice(0, -1), column: names[names.length - 1], json, negated: opNegated, operation };
}

function parseTreeChildren(s: Scanner, depth: number): (Filter | LogicTree)[] {
  s.expect("(");
  const children = [parseTreeItem(s, depth)];
  while (s.eat(",")) children.push(parseTreeItem(s, depth));
  s.expect(")");
  return children;
}

/** `or=(a.eq.1,b.gt.2)` with key path `rel.not.or` -> a tree applied to `rel`. */
export function parseLogicTree(path: string[], op: "and" | "or", negated: boolean, value: string): LogicTree {
  const s = new Scanner(value, "logic tree");
  const children = parseTreeChildren(s, 0);
  if (!s.done) throw parseError("logic tree", value, s.pos, "unexpected input expecting end of input");
  return { kind: "logic", path, op, negated, children };
}
