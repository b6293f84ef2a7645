import assert from "node:assert/strict";
import { test } from "node:test";
import { closestMatch } from "./fuzzy-set.ts";

// The examples PostgREST's own doctests give for its hints (src/PostgREST/Error.hs, noRpcHint).
test("fuzzy set: function names", () => {
  assert.equal(closestMatch("testt", ["test", "another"]), "test");
  assert.equal(closestMatch("other", ["test", "another"]), "another");
  assert.equal(closestMatch("noclosealternative", ["test", "another"]), undefined);
});

test("fuzzy set: sorted parameter lists", () => {
  const lists = ["(name, param, val)", "(attr, id)"];
  assert.equal(closestMatch("(nam, pqaram, vall)", lists), "(name, param, val)");
  assert.equal(closestMatch("(param, val)", lists), "(name, param, val)");
  assert.equal(closestMatch("(attrs, id)", lists), "(attr, id)");
  assert.equal(closestMatch("(id)", lists), "(attr, id)");
  assert.equal(closestMatch("(noclosealternative)", lists), undefined);
});

test("fuzzy set: an exact match wins whatever its case, an empty set matches nothing", () => {
  assert.equal(closestMatch("Films", ["films", "film"]), "films");
  assert.equal(closestMatch("films", []), undefined);
});
