import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { givenArguments, parseCallQuery, planCall } from "./call-plan.ts";
import { cacheWith, fn } from "./plan-fixtures.ts";

const OFF = { aggregatesEnabled: false };

const isCode = (code: string) => (error: unknown) => error instanceof RestError && error.code === code;

const cache = cacheWith([
  fn("add", [{ name: "a" }, { name: "b", optional: true }], { volatility: "i" }),
  fn("bump", [{ name: "n" }], { volatility: "v", returnsSet: true, returnKind: "composite" }),
  fn("echo", [{ name: "", type: "jsonb" }], { volatility: "s", returnType: "jsonb" }),
  fn("twin", [{ name: "x" }]),
  fn("twin", [{ name: "x" }, { name: "y", optional: true }]),
]);
const target = (name: string) => ({ cache, schema: "public", name });

function plan(method: string, name: string, search: string, value?: unknown, prefs = {}, singular = false) {
  const line = { method, search };
  const body = method === "POST" ? { type: "json" as const, value } : undefined;
  return planCall(line, target(name), parseCallQuery(line, OFF), body, prefs, singular);
}

test("call plan: GET takes arguments from the query, other parameters stay filters", () => {
  const query = parseCallQuery({ method: "GET", search: "a=1&b=2&pgrst_scalar=gt.0" }, OFF);
  assert.deepEqual(
    [...query.args.entries()],
    [
      ["a", ["1"]],
      ["b", ["2"]],
    ],
  );
  assert.equal(query.nodes.get("")?.filters.length, 1);
  const call = plan("GET", "add", "a=1");
  assert.equal(call.call.fn.name, "add");
  assert.deepEqual(call.call.args, ["a"]);
  assert.equal(call.readOnly, true);
});

test("call plan: POST runs READ WRITE only for a volatile function", () => {
  assert.equal(plan("POST", "add", "", { a: 1 }).readOnly, true);
  assert.equal(plan("POST", "bump", "", { n: 1 }).readOnly, false);
  assert.equal(plan("GET", "bump", "n=1").readOnly, true);
  assert.equal(plan("POST", "bump", "", { n: 1 }, {}, true).requireOne, true);
  assert.equal(plan("GET", "bump", "n=1", undefined, {}, true).requireOne, false);
});

test("call plan: POST arguments are the body's keys, narrowed by columns", () => {
  const query = parseCallQuery({ method: "POST", search: "columns=a" }, OFF);
  assert.deepEqual(givenArguments(query, { type: "json", value: { a: 1, b: 2 } }), ["a"]);
  assert.deepEqual(givenArguments(query, { type: "json", value: [1, 2] }), []);
});

test("call plan: a body matching no names goes to a single unnamed json/jsonb parameter", () => {
  const call = plan("POST", "echo", "", { anything: 1 });
  assert.equal(call.call.args, "raw");
});

test("call plan: no match is PGRST202, several are PGRST203", () => {
  assert.throws(() => plan("POST", "add", "", { z: 1 }), isCode("PGRST202"));
  assert.throws(() => plan("POST", "twin", "", { x: 1 }), isCode("PGRST203"));
});

test("call plan: methods other than GET/HEAD/POST are PGRST101; max-affected needs SETOF", () => {
  assert.throws(() => parseCallQuery({ method: "PATCH", search: "" }, OFF), isCode("PGRST101"));
  assert.throws(() => plan("POST", "add", "", { a: 1 }, { handling: "strict", maxAffected: 1 }), isCode("PGRST128"));
  assert.equal(plan("POST", "bump", "", { n: 1 }, { handling: "strict", maxAffected: 1 }).maxAffected, 1);
});
