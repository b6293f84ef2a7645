import assert from "node:assert/strict";
import { test } from "node:test";
import { summarize, tapLines } from "./run-pgtap.ts";

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

test("`select ok(...), 'description'` rows are test lines, as psql prints them for pg_prove (columns joined by |)", () => {
  const lines = tapLines([
    Object.assign([["1..3"]], { command: "SELECT" }),
    Object.assign([["ok 1 - owners see their rows", "owners see their rows"]], { command: "SELECT" }),
    Object.assign([["ok 2", null]], { command: "SELECT" }),
    Object.assign(
      [
        ["not ok 3 - denied", "denied"],
        ["# Failed test 3", "x"],
      ],
      { command: "SELECT" },
    ),
  ]);
  assert.deepEqual(lines, [
    "1..3",
    "ok 1 - owners see their rows|owners see their rows",
    "ok 2|",
    "not ok 3 - denied|denied",
    "# Failed test 3|x",
  ]);
  const result = summarize("a.sql", lines);
  assert.deepEqual([result.passed, result.failed, result.planned, result.ok], [2, 1, 3, false]);
});

test("a single statement's rows and multi-line values become lines too", () => {
  assert.deepEqual(tapLines([["1..1\nok 1"]]), ["1..1", "ok 1"]);
});

test("a failing TODO test does not fail the file; tests out of sequence do", () => {
  assert.equal(summarize("a.sql", ["1..2", "ok 1", "not ok 2 - later # TODO not built yet"]).ok, true);
  const outOfOrder = summarize("a.sql", ["1..2", "ok 1", "ok 3"]);
  assert.equal(outOfOrder.ok, false);
  assert.deepEqual(outOfOrder.problems, ["Tests out of sequence. Found (3) but expected (2)"]);
});

test("no plan fails the file, a skip-all plan passes it, two plans or a plan in the middle fail it", () => {
  assert.deepEqual(summarize("a.sql", ["ok 1"]).problems, ["No plan found in TAP output"]);
  assert.equal(summarize("a.sql", ["1..0 # Skip no database"]).ok, true);
  assert.equal(summarize("a.sql", ["1..1", "ok 1", "1..1"]).ok, false);
  assert.equal(summarize("a.sql", ["ok 1", "1..2", "ok 2"]).ok, false);
  assert.equal(summarize("a.sql", ["ok 1", "ok 2", "1..2"]).ok, true);
});

test("Bail out! fails the file", () => {
  assert.equal(summarize("a.sql", ["1..1", "ok 1", "Bail out! no pgTAP"]).ok, false);
});
