import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { films } from "./plan-fixtures.ts";
import { planRead } from "./read-plan.ts";

const OFF = { aggregatesEnabled: false };

const isCode = (code: string) => (error: unknown) => error instanceof RestError && error.code === code;

test("read plan: select, filters, order and the page come from the request line", () => {
  const plan = planRead(
    { method: "GET", search: "select=id,title&id=gt.3&order=id.desc&limit=2&offset=1" },
    films,
    { count: "exact" },
    OFF,
  );
  assert.equal(plan.kind, "read");
  assert.equal(plan.relation, films);
  assert.deepEqual(
    plan.query.select.map((item) => (item.kind === "field" ? item.name : item.kind)),
    ["id", "title"],
  );
  assert.equal(plan.query.nodes.get("")?.filters.length, 1);
  assert.deepEqual(plan.paging, { offset: 1, limit: 2 });
  assert.equal(plan.count, "exact");
  assert.equal(plan.head, false);
});

test("read plan: HEAD reads no body, and a Range header narrows the page", () => {
  const head = planRead({ method: "HEAD", search: "" }, films, {}, OFF);
  assert.equal(head.head, true);
  const ranged = planRead({ method: "GET", search: "limit=50", range: "10-19" }, films, {}, OFF);
  assert.deepEqual(ranged.paging, { offset: 10, limit: 10 });
});

test("read plan: parameters a read cannot honour are refused, not dropped", () => {
  assert.throws(() => planRead({ method: "GET", search: "columns=id" }, films, {}, OFF), isCode("PGRST127"));
  assert.throws(() => planRead({ method: "GET", search: "on_conflict=id" }, films, {}, OFF), isCode("PGRST127"));
  assert.throws(() => planRead({ method: "GET", search: "id=zz.3" }, films, {}, OFF), isCode("PGRST100"));
});
