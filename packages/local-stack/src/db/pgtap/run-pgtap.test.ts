import assert from "node:assert/strict";
import { test } from "node:test";
import { summarize } from "./run-pgtap.ts";

test("a file passes when every planned test is ok", () => {
  const result = summarize("a.sql", ["1..2", "ok 1 - one", "ok 2 - two"]);
  assert.deepEqual([result.passed, result.failed, result.ok], [2, 0, true]);
});

test("a file fails on a not ok line", () => {
  const result = summarize("a.sql", ["1..2", "ok 1 - one", "not ok 2 - two", "# Failed test 2"]);
  assert.deepEqual([result.passed, result.failed, result.ok], [1, 1, false]);
});

test("a file fails when fewer tests ran than planned", () => {
  assert.equal(summarize("a.sql", ["1..3", "ok 1", "ok 2"]).ok, false);
});

test("a file that ran no test fails", () => {
  assert.equal(summarize("a.sql", []).ok, false);
});
