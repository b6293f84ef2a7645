// Resolves `/rpc/<fn>` to one function, as PostgREST's schema cache lookup does: the overload whose
// parameter names match the arguments given (all required ones, no unknown ones), else a single
// unnamed json/jsonb parameter taking the whole POST body; PGRST202/PGRST203 otherwise.
import { RestError } from "../errors.ts";
import { type RestFunction, relationKey, type SchemaCache } from "../schema-cache.ts";

export interface RpcCall {
  fn: RestFunction;
  /** Named arguments given, or `raw` for a single unnamed json/jsonb parameter receiving the body. */
  args: string[] | "raw";
}

export function chooseFunction(cache: SchemaCache, schema: string, name: string, given: string[], isPost: boolean): RpcCall {
  const overloads = cache.functions.get(relationKey(schema, name)) ?? [];
  const matches = overloads.filter((fn) => {
    const names = fn.args.map((a) => a.name);
    return given.every((g) => names.includes(g)) && fn.args.every((a) => a.optional || given.includes(a.name));
  });
  if (matches.length === 1) return { fn: matches[0], args: given };
  if (matches.length === 0 && isPost) {
    const raw = overloads.filter((fn) => fn.args.length === 1 && fn.args[0].name === "" && /^(json|jsonb)$/.test(fn.args[0].type));
    if (raw.length === 1) return { fn: raw[0], args: "raw" };
  }
  if (matches.length > 1) {
    throw new RestError(
      300,
      "PGRST203",
      `Could not choose the best candidate function between: ${matches.map((fn) => `${schema}.${name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`).join(", ")}`,
      null,
      "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
    );
  }
  const sorted = [...given].sort();
  const withParams = sorted.length ? `(${sorted.join(", ")})` : " without parameters";
  const similar = [...cache.functions.values()]
    .flat()
    .find((fn) => fn.schema === schema && fn.name !== name && similarity(fn.name, name) >= 0.75);
  throw new RestError(
    404,
    "PGRST202",
    `Could not find the function ${schema}.${name}${withParams} in the schema cache`,
    `Searched for the function ${schema}.${name}${sorted.length ? ` with parameters ${sorted.join(", ")}` : " without parameters"} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
    similar ? `Perhaps you meant to call the function ${schema}.${similar.name}` : null,
  );
}

/** Share of common bigrams (Dice), enough for "Perhaps you meant" hints. */
export function similarity(a: string, b: string): number {
  const grams = (s: string) => Array.from({ length: Math.max(s.length - 1, 0) }, (_, i) => s.slice(i, i + 2));
  const x = grams(a);
  const y = grams(b);
  if (!x.length || !y.length) return a === b ? 1 : 0;
  const pool = [...y];
  let common = 0;
  for (const g of x) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      common++;
      pool.splice(i, 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}
