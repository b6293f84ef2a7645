import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonNestsDeeperThan, MAX_JSON_DEPTH, parseUntrustedJson } from "./json-depth.ts";

test("nesting up to the limit passes, one level more does not", () => {
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  assert.equal(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH)), false);
  assert.equal(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1)), true);
  assert.equal(jsonNestsDeeperThan(`{"a":${"[".repeat(100_000)}`), true);
});

test("brackets inside strings, escaped quotes included, do not count", () => {
  assert.equal(jsonNestsDeeperThan(JSON.stringify({ text: "[".repeat(10_000) }), 4), false);
  assert.equal(jsonNestsDeeperThan(JSON.stringify({ text: `\\"${"{".repeat(10)}` }), 4), false);
  assert.equal(jsonNestsDeeperThan(`["\\\\", ${"[".repeat(5)}]`, 4), true);
});

test("parseUntrustedJson parses what JSON.parse does and refuses deeper nesting as a SyntaxError", () => {
  assert.deepEqual(parseUntrustedJson('{"a":[1,{"b":null}]}'), { a: [1, { b: null }] });
  assert.throws(() => parseUntrustedJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), SyntaxError);
  assert.throws(() => parseUntrustedJson("{"), SyntaxError);
});
