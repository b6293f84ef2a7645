// Resolves `/rpc/<fn>` to one function as PostgREST 12's findProc does: the overloads whose
// parameters match the argument names given (every required one, no unknown one); if none, a
// function with a single parameter taking the whole POST body (json/jsonb for JSON, text for
// text/plain, xml for text/xml, bytea for application/octet-stream). None is PGRST202 and several
// PGRST203, with PostgREST's messages, details and hints.
import { RestError } from "../errors.ts";
import { type RestFunction, relationKey, type SchemaCache } from "../schema-cache.ts";
import { closestMatch } from "./fuzzy-set.ts";

/** How a POST body arrives, by its Content-Type (GET/HEAD take arguments from the query). */
export type CallBodyType = "json" | "form" | "text" | "xml" | "octet";

export interface CallArguments {
  /** Argument names given: the JSON body's keys (or `columns`), or the query's arguments. */
  given: string[];
  /** POST (a body), else GET/HEAD. */
  post: boolean;
  bodyType: CallBodyType;
}

export interface RpcCall {
  fn: RestFunction;
  /** Named arguments given, or `raw` for a single unnamed parameter receiving the whole body. */
  args: string[] | "raw";
}

const RAW_BODY_TYPES: Record<Exclude<CallBodyType, "form">, readonly string[]> = {
  json: ["json", "jsonb"],
  text: ["text"],
  xml: ["xml"],
  octet: ["bytea"],
};

/** A raw body (not JSON or a form) has no argument names to match. */
const isRawBody = (call: CallArguments) => call.post && (call.bodyType === "text" || call.bodyType === "xml" || call.bodyType === "octet");

function matchesParameters(fn: RestFunction, call: CallArguments): boolean {
  if (!fn.args.length) return !call.given.length && !isRawBody(call);
  const names = fn.args.map((a) => a.name);
  return call.given.every((g) => names.includes(g)) && fn.args.every((a) => a.optional || call.given.includes(a.name));
}

function takesWholeBody(fn: RestFunction, call: CallArguments): boolean {
  if (fn.args.length !== 1 || !call.post || call.bodyType === "form") return false;
  return RAW_BODY_TYPES[call.bodyType].includes(fn.args[0].type);
}

function ambiguous(schema: string, name: string, functions: RestFunction[]): RestError {
  const signatures = functions.map((fn) => `${schema}.${name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`);
  return new RestError(
    300,
    "PGRST203",
    `Could not choose the best candidate function between: ${signatures.join(", ")}`,
    null,
    "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
  );
}

const parameterList = (names: string[]) => `(${[...names].sort().join(", ")})`;

function notFound(cache: SchemaCache, schema: string, name: string, overloads: RestFunction[], call: CallArguments): RestError {
  const fn = `${schema}.${name}`;
  const keys = [...call.given].sort();
  const withKeys = (text: string) => (keys.length ? text : " without parameters");
  const details = `Searched for the function ${fn}${
    call.post && call.bodyType === "text"
      ? " with a single unnamed text parameter"
      : call.post && call.bodyType === "xml"
        ? " with a single unnamed xml parameter"
        : call.post && call.bodyType === "octet"
          ? " with a single unnamed bytea parameter"
          : `${withKeys(` with parameter${keys.length > 1 ? "s" : ""} ${keys.join(", ")}`)}${call.post && call.bodyType === "json" ? " or with a single unnamed json/jsonb parameter" : ""}`
  }, but no matches were found in the schema cache.`;
  if (isRawBody(call)) return new RestError(404, "PGRST202", `Could not find the function ${fn} in the schema cache`, details, null);
  // Same name: the closest parameter list; else the closest function name in the schema.
  const suggestion = overloads.length
    ? closestMatch(
        parameterList(keys),
        overloads.map((o) => parameterList(o.args.map((a) => a.name))),
      )
    : closestMatch(
        name,
        [...cache.functions.values()].flat().flatMap((f) => (f.schema === schema ? [f.name] : [])),
      );
  return new RestError(
    404,
    "PGRST202",
    `Could not find the function ${fn}${withKeys(`(${keys.join(", ")})`)} in the schema cache`,
    details,
    suggestion === undefined ? null : `Perhaps you meant to call the function ${schema}.${overloads.length ? name : ""}${suggestion}`,
  );
}

export function chooseFunction(cache: SchemaCache, schema: string, name: string, call: CallArguments): RpcCall {
  const overloads = cache.functions.get(relationKey(schema, name)) ?? [];
  const named = overloads.filter((fn) => matchesParameters(fn, call));
  if (named.length === 1) return { fn: named[0], args: call.given };
  if (named.length > 1) throw ambiguous(schema, name, named);
  const whole = overloads.filter((fn) => takesWholeBody(fn, call));
  if (whole.length > 1) throw ambiguous(schema, name, whole);
  // A named single parameter is bound by name, as PostgREST does (from the keys given, if any).
  if (whole.length === 1)
    return { fn: whole[0], args: whole[0].args[0].name === "" ? "raw" : call.given.filter((g) => g === whole[0].args[0].name) };
  throw notFound(cache, schema, name, overloads, call);
}
