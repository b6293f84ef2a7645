import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RestError } from "../errors.ts";
import { type Filter, type LogicTree, parseFilter, parseLogicTree } from "./filters.ts";

describe("parseFilter", () => {
  it("reads operator and verbatim value (commas, dots and parentheses included)", () => {
    const f = parseFilter("title", "eq.a.b,(c)");
    assert.deepEqual(f.operation, { kind: "op", op: "eq", quantifier: undefined, value: "a.b,(c)" });
    assert.equal(f.negated, false);
  });

  it("reads not., (any)/(all), in lists with quotes, is values and fts configs", () => {
    assert.equal(parseFilter("id", "not.eq.1").negated, true);
    assert.deepEqual(parseFilter("t", "like(any).{a*,b*}").operation, { kind: "op", op: "like", quantifier: "any", value: "{a*,b*}" });
    assert.deepEqual(parseFilter("t", 'in.(1,"a,b",c)').operation, { kind: "in", values: ["1", "a,b", "c"] });
    assert.deepEqual(parseFilter("t", "in.()").operation, { kind: "in", values: [] });
    assert.deepEqual(parseFilter("t", "is.NULL").operation, { kind: "is", value: "null" });
    assert.deepEqual(parseFilter("t", "wfts(english).cat dog").operation, { kind: "fts", op: "wfts", config: "english", value: "cat dog" });
  });

  it("splits the embed path and JSON path from the key", () => {
    const f = parseFilter("directors.meta->>lang", "eq.fr");
    assert.deepEqual(f.path, ["directors"]);
    assert.equal(f.column, "meta");
    assert.deepEqual(f.json, [{ op: "->>", key: "lang", index: false }]);
  });

  it("fails with PGRST100 on unknown operators and bad is values", () => {
    for (const [k, v] of [
      ["id", "foo.1"],
      ["id", "eq"],
      ["id", "is.maybe"],
      ["id", "neq(any).{1}"],
      ["id", "1"],
    ]) {
      assert.throws(
        () => parseFilter(k, v),
        (e: RestError) => e.code === "PGRST100" && e.status === 400,
        `${k}=${v}`,
      );
    }
  });
});

describe("parseLogicTree", () => {
  it("reads nested and/or/not trees with quoted and braced values", () => {
    const tree = parseLogicTree([], "or", false, '(id.eq.1,and(year.gt.1980,title.not.eq."a,b"),tags.cs.{a,b},not.and(id.lt.2,id.gt.0))');
    assert.equal(tree.children.length, 4);
    const and = tree.children[1] as LogicTree;
    assert.equal(and.op, "and");
    assert.equal((and.children[1] as Filter).negated, true);
    assert.deepEqual((and.children[1] as Filter).operation, { kind: "op", op: "eq", quantifier: undefined, value: "a,b" });
    assert.deepEqual((tree.children[2] as Filter).operation, { kind: "op", op: "cs", quantifier: undefined, value: "{a,b}" });
    assert.equal((tree.children[3] as LogicTree).negated, true);
  });

  it("fails with PGRST100 on unbalanced or empty trees", () => {
    for (const bad of ["(id.eq.1", "id.eq.1", "()", "(id.eq.1))", "(id.zz.1)"]) {
      assert.throws(
        () => parseLogicTree([], "or", false, bad),
        (e: RestError) => e.code === "PGRST100",
        bad,
      );
    }
  });
});
