import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FilterError, matchesFilters, parseFilters } from "./filters.ts";

const types = { id: "int8", body: "text", done: "bool", author: "uuid", priority: "int4" };
const matches = (filter: string, row: Record<string, string | null | undefined>) => matchesFilters(parseFilters(filter), row, types);
const parseError = (filter: string) => {
  try {
    parseFilters(filter);
  } catch (error) {
    assert.ok(error instanceof FilterError);
    return error.message;
  }
  assert.fail(`${filter} parsed`);
};

describe("postgres_changes filters", () => {
  test("parse the operators, the not. prefix, quoted values and comma-separated AND", () => {
    assert.deepEqual(parseFilters(""), []);
    assert.deepEqual(parseFilters("   "), []);
    assert.deepEqual(
      parseFilters('body=not.like.hey%,id=in.(1,2),author=eq."a,b"').map(({ column, op, value, negate }) => ({
        column,
        op,
        value,
        negate,
      })),
      [
        { column: "body", op: "like", value: "hey%", negate: true },
        { column: "id", op: "in", value: ["1", "2"], negate: false },
        { column: "author", op: "eq", value: "a,b", negate: false },
      ],
    );
    for (const op of ["eq", "neq", "lt", "lte", "gt", "gte", "like", "ilike", "match", "imatch", "isdistinct"])
      assert.equal(parseFilters(`body=${op}.x`)[0].op, op);
    assert.equal(parseFilters("done=is.null")[0].op, "is");
  });

  test("report bad filters with Supabase's messages", () => {
    assert.equal(parseError("subject=foo.hey"), 'Error parsing `filter` params: ["foo", "hey"]');
    assert.equal(parseError("undefined"), 'Error parsing `filter` params: ["undefined"]');
    assert.equal(parseError("id=eq1"), 'Error parsing `filter` params: ["eq1"]');
    assert.equal(parseError("id=not.between.1"), 'Error parsing `filter` params: ["between", "1"]');
    assert.equal(parseError("id=in.1,2"), "Error parsing `filter` params: `in` filter value must be wrapped by parentheses");
    assert.equal(
      parseError("id=eq.1,,body=eq.x"),
      "Error parsing `filter` params: filter must not contain empty segments (check for extra commas)",
    );
    assert.match(parseError("done=is.maybe"), /invalid value for is filter: must be null, true, false, or unknown/);
  });

  test("pattern filters are left to Postgres: here they only need a non-NULL value to test", () => {
    for (const filter of ["body=like.%", "body=ilike.%", "body=match.x", "body=imatch.x", "body=not.match.x"]) {
      assert.equal(matches(filter, { body: "anything" }), true, filter);
      assert.equal(matches(filter, { body: null }), false, filter);
      assert.equal(matches(filter, { id: "1" }), false, filter);
    }
  });

  test("is and isdistinct decide on NULL; other comparisons with NULL never match, negated or not", () => {
    assert.equal(matches("done=is.null", { done: null }), true);
    assert.equal(matches("done=is.null", { done: "f" }), false);
    assert.equal(matches("done=not.is.null", { done: "f" }), true);
    assert.equal(matches("done=is.true", { done: "t" }), true);
    assert.equal(matches("done=is.false", { done: "t" }), false);
    assert.equal(matches("done=is.unknown", { done: null }), true);
    assert.equal(matches("priority=isdistinct.3", { priority: null }), true);
    assert.equal(matches("priority=isdistinct.3", { priority: "3" }), false);
    assert.equal(matches("priority=isdistinct.3", { priority: "4" }), true);
    assert.equal(matches("priority=not.isdistinct.3", { priority: "3" }), true);
    assert.equal(matches("priority=not.eq.3", { priority: null }), false);
    assert.equal(matches("priority=eq.3", { priority: null }), false);
  });

  test("not. negates; comma-separated filters must all hold; a column missing from the change never matches", () => {
    assert.equal(matches("priority=not.eq.3", { priority: "4" }), true);
    assert.equal(matches("priority=not.in.(3,4)", { priority: "4" }), false);
    assert.equal(matches("id=gt.0,id=lt.100", { id: "50" }), true);
    assert.equal(matches("id=gt.0,id=lt.100", { id: "500" }), false);
    assert.equal(matches("id=gt.0,body=eq.x", { id: "5", body: "y" }), false);
    assert.equal(matches("body=not.is.null", { id: "5" }), false);
  });

  test("keep typed comparisons for the original operators", () => {
    assert.equal(matches("priority=gt.9", { priority: "10" }), true);
    assert.equal(matches("author=eq.A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", { author: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" }), true);
    assert.equal(matches('body=in.(a,"b,c")', { body: "b,c" }), true);
  });
});
