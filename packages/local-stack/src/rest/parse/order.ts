// Parses `order=a,b.desc,c.asc.nullslast,data->>k,rel(col).desc`.
import { Scanner } from "./scanner.ts";
import { type JsonStep, parseJsonPath } from "./select.ts";

export interface OrderTerm {
  /** Set when ordering by a column of an embedded to-one resource: `rel(col)`. */
  relation?: string;
  column: string;
  json: JsonStep[];
  direction?: "asc" | "desc";
  nulls?: "first" | "last";
}

function parseTerm(s: Scanner): OrderTerm {
  let column = s.identifier();
  let relation: string | undefined;
  if (s.eat("(")) {
    relation = column;
    column = s.identifier();
    s.expect(")");
  }
  const term: OrderTerm = { relation, column, json: parseJsonPath(s) };
  while (s.eat(".")) {
    if (s.eat("asc")) term.direction = "asc";
    else if (s.eat("desc")) term.direction = "desc";
    else if (s.eat("nullsfirst")) term.nulls = "first";
    else if (s.eat("nullslast")) term.nulls = "last";
    else throw s.fail('"asc", "desc", "nullsfirst" or "nullslast"');
  }
  return term;
}

export function parseOrder(input: string): OrderTerm[] {
  const s = new Scanner(input, "order parameter");
  const terms = [parseTerm(s)];
  while (s.eat(",")) terms.push(parseTerm(s));
  if (!s.done) throw s.fail('"," or end of input');
  return terms;
}
