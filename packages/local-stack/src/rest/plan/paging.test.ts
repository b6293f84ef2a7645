import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { planPaging } from "./paging.ts";

test("paging: limit and offset come from the query", () => {
  assert.deepEqual(planPaging("GET", undefined, { filters: [], limit: 5, offset: 10 }), { offset: 10, limit: 5 });
  assert.deepEqual(planPaging("GET", undefined, undefined), { offset: 0, limit: undefined });
});

test("paging: a Range header on GET is intersected with limit and offset", () => {
  assert.deepEqual(planPaging("GET", "0-9", { filters: [], limit: 5 }), { offset: 0, limit: 5 });
  assert.deepEqual(planPaging("GET", "items=20-29", { filters: [], limit: 100, offset: 3 }), { offset: 20, limit: 10 });
  assert.deepEqual(planPaging("GET", "7-", { filters: [], limit: 4 }), { offset: 7, limit: 4 });
  assert.deepEqual(planPaging("GET", "7-", undefined), { offset: 7, limit: null });
});

test("paging: a Range header is ignored on anything but GET", () => {
  assert.deepEqual(planPaging("HEAD", "0-1", undefined), { offset: 0, limit: undefined });
  assert.deepEqual(planPaging("POST", "0-1", { filters: [], limit: 3 }), { offset: 0, limit: 3 });
});

test("paging: a reversed or malformed range is PGRST103 (416)", () => {
  for (const range of ["9-1", "a-b", "-5", "1-2-3"]) {
    assert.throws(
      () => planPaging("GET", range, undefined),
      (error: unknown) => error instanceof RestError && error.status === 416 && error.code === "PGRST103",
      range,
    );
  }
});
