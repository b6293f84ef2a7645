import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_JSON_DEPTH, parseUntrustedJson, valueNestsDeeperThan } from "./json-depth.ts";

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

test("nesting up to the limit passes, one level more does not", () => {
  assert.equal(valueNestsDeeperThan(JSON.parse(nested(MAX_JSON_DEPTH))), false);
  assert.equal(valueNestsDeeperThan(JSON.parse(nested(MAX_JSON_DEPTH + 1))), true);
  assert.equal(valueNestsDeeperThan(JSON.parse(`{"a":{"b":${nested(100_000)}}}`)), true);
  assert.equal(valueNestsDeeperThan(JSON.parse('[1, {"a": [2]}, "x"]'), 3), false);
  assert.equal(valueNestsDeeperThan(JSON.parse('[1, {"a": [2]}, "x"]'), 2), true);
});

test("brackets inside strings are not nesting", () => {
  assert.equal(valueNestsDeeperThan({ text: "[".repeat(10_000), quoted: `\\"${"{".repeat(10)}` }, 1), false);
  assert.equal(valueNestsDeeperThan("[[[[", 0), false);
});

test("parseUntrustedJson parses what JSON.parse does and refuses deeper nesting as a SyntaxError", () => {
  assert.deepEqual(parseUntrustedJson('{"a":[1,{"b":null}]}'), { a: [1, { b: null }] });
  assert.throws(() => parseUntrustedJson(nested(100_000)), SyntaxError);
  assert.throws(() => parseUntrustedJson("{"), SyntaxError);
});
