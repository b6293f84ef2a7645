import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { parseSelect } from "../parse/select.ts";
import { assertAggregatesAllowed } from "./aggregates.ts";

const refused = (error: unknown) =>
  error instanceof RestError &&
  error.status === 400 &&
  error.code === "PGRST123" &&
  error.message === "Use of aggregate functions is not allowed" &&
  error.details === null &&
  error.hint === null;

test("aggregates: refused at any depth while db_aggregates_enabled is off", () => {
  for (const select of ["count()", "rating.avg()", "title,directors(id.max())", "...directors(n:count())"])
    assert.throws(() => assertAggregatesAllowed(parseSelect(select), false), refused, select);
});

test("aggregates: the legacy `count` column and plain selects pass; enabled, aggregates pass", () => {
  assertAggregatesAllowed(parseSelect("count,title,directors(count)"), false);
  assertAggregatesAllowed(parseSelect("count(),rating.sum(),directors(id.max())"), true);
});
