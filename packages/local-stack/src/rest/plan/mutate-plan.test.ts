import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { planMutation } from "./mutate-plan.ts";
import { filmLog, films } from "./plan-fixtures.ts";

const OFF = { aggregatesEnabled: false };

const isCode = (code: string) => (error: unknown) => error instanceof RestError && error.code === code;

test("mutation plan: POST with resolution is an upsert on the primary key or on_conflict", () => {
  const merge = planMutation({ method: "POST", search: "" }, films, { resolution: "merge-duplicates" }, false, OFF);
  assert.equal(merge.upsert, true);
  assert.equal(merge.takesBody, true);
  assert.equal(merge.applyRootFilters, true);
  assert.equal(planMutation({ method: "POST", search: "" }, films, {}, false, OFF).upsert, false);
  // No primary key and no on_conflict: nothing to resolve on, a plain insert.
  assert.equal(planMutation({ method: "POST", search: "" }, filmLog, { resolution: "merge-duplicates" }, false, OFF).upsert, false);
  assert.equal(
    planMutation({ method: "POST", search: "on_conflict=title" }, filmLog, { resolution: "ignore-duplicates" }, false, OFF).upsert,
    true,
  );
});

test("mutation plan: max-affected is honoured only with handling=strict and only by PATCH/DELETE", () => {
  const strict = { handling: "strict" as const, maxAffected: 2 };
  assert.equal(planMutation({ method: "PATCH", search: "id=eq.1" }, films, strict, false, OFF).maxAffected, 2);
  assert.equal(planMutation({ method: "DELETE", search: "id=eq.1" }, films, strict, false, OFF).maxAffected, 2);
  assert.equal(planMutation({ method: "DELETE", search: "id=eq.1" }, films, { maxAffected: 2 }, false, OFF).maxAffected, undefined);
  assert.equal(planMutation({ method: "POST", search: "" }, films, strict, false, OFF).maxAffected, undefined);
});

test("mutation plan: DELETE takes no body and only POST applies root filters to the new rows", () => {
  const del = planMutation({ method: "DELETE", search: "id=eq.1" }, films, {}, true, OFF);
  assert.equal(del.takesBody, false);
  assert.equal(del.applyRootFilters, false);
  assert.equal(del.singular, true);
});

test("mutation plan: limited update/delete needs an order; limit on an insert is refused", () => {
  assert.throws(() => planMutation({ method: "DELETE", search: "id=gt.1&limit=1" }, films, {}, false, OFF), isCode("PGRST109"));
  const limited = planMutation({ method: "DELETE", search: "id=gt.1&limit=1&order=id" }, films, {}, false, OFF);
  assert.equal(limited.query.nodes.get("")?.limit, 1);
  assert.throws(() => planMutation({ method: "POST", search: "limit=1" }, films, {}, false, OFF), isCode("PGRST127"));
  assert.throws(() => planMutation({ method: "PATCH", search: "on_conflict=id" }, films, {}, false, OFF), isCode("PGRST127"));
});

test("mutation plan: other methods are PGRST117", () => {
  assert.throws(() => planMutation({ method: "TRACE", search: "" }, films, {}, false, OFF), isCode("PGRST117"));
});
