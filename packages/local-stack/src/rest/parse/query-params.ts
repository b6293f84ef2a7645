// Splits a request's query string into PostgREST's parts: select, columns, on_conflict, filters and
// logic trees (root or embedded), order/limit/offset per embed path, and RPC GET arguments.
import { parseError } from "../errors.ts";
import { type Filter, type LogicTree, parseFilter, parseLogicTree, parsesAsOperation } from "./filters.ts";
import { type OrderTerm, parseOrder } from "./order.ts";
import { Scanner } from "./scanner.ts";
import { parseSelect, type SelectItem } from "./select.ts";

export interface NodeModifiers {
  filters: (Filter | LogicTree)[];
  order?: OrderTerm[];
  limit?: number;
  offset?: number;
}

export interface ApiQuery {
  select: SelectItem[];
  columns?: string[];
  onConflict?: string[];
  /** Modifiers by embed path ("" = root, "actors", "films.actors"). */
  nodes: Map<string, NodeModifiers>;
  /** RPC GET/HEAD arguments (repeated keys = variadic). */
  args: Map<string, string[]>;
}

const MODIFIERS = new Set(["order", "limit", "offset", "and", "or"]);

export function splitPath(key: string): string[] {
  const s = new Scanner(key, "filter");
  const names = [s.identifier()];
  while (s.eat(".")) names.push(s.identifier());
  if (!s.done) return [key];
  return names;
}

function parseIdentifierList(input: string, what: string): string[] {
  const s = new Scanner(input, what);
  const names = [s.identifier()];
  while (s.eat(",")) names.push(s.identifier());
  if (!s.done) throw s.fail('"," or end of input');
  return names;
}

function parseCount(value: string, what: string): number {
  if (!/^\d+$/.test(value)) throw parseError(what, value, 0, "unexpected input expecting a non-negative integer");
  return Number(value);
}

export function node(nodes: Map<string, NodeModifiers>, path: string[]): NodeModifiers {
  const key = path.join(".");
  const found = nodes.get(key);
  if (found) return found;
  const created: NodeModifiers = { filters: [] };
  nodes.set(key, created);
  return created;
}

/** Fails when a parameter that takes one value comes twice: keeping either would drop the other. */
function assertSingle(seen: Set<string>, key: string, value: string): void {
  if (seen.has(key)) throw parseError(`${key} parameter`, value, 0, `unexpected repeated '${key}' expecting it once`);
  seen.add(key);
}

/** `rpcRead`: GET/HEAD on a function, where a parameter whose value has no operator is an argument. */
export function parseQuery(search: string, rpcRead = false): ApiQuery {
  const params = new URLSearchParams(search);
  const query: ApiQuery = { select: parseSelect(params.get("select")), nodes: new Map(), args: new Map() };
  node(query.nodes, []);
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (key === "select") {
      assertSingle(seen, key, value);
      continue;
    }
    if (key === "columns" || key === "on_conflict") assertSingle(seen, key, value);
    if (key === "columns") query.columns = parseIdentifierList(value, "columns parameter");
    else if (key === "on_conflict") query.onConflict = parseIdentifierList(value, "on_conflict parameter");
    else {
      const path = splitPath(key);
      const last = path[path.length - 1];
      if (MODIFIERS.has(last)) {
        const negated = path.length > 1 && path[path.length - 2] === "not" && (last === "or" || last === "and");
        const embedPath = path.slice(0, negated ? -2 : -1);
        const target = node(query.nodes, embedPath);
        if (last !== "and" && last !== "or") assertSingle(seen, [...embedPath, last].join("."), value);
        if (last === "order") target.order = parseOrder(value);
        else if (last === "limit") target.limit = parseCount(value, "limit parameter");
        else if (last === "offset") target.offset = parseCount(value, "offset parameter");
        else target.filters.push(parseLogicTree(embedPath, last as "and" | "or", negated, value));
      } else if (rpcRead && !parsesAsOperation(value)) {
        query.args.set(key, [...(query.args.get(key) ?? []), value]);
      } else {
        const filter = parseFilter(key, value);
        // Stored on its embed's node, where the column is the node's own.
        node(query.nodes, filter.path).filters.push({ ...filter, path: [] });
      }
    }
  }
  return query;
}
