import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RestError } from "../errors.ts";
import { outputName, parseSelect, type SelectEmbed, type SelectField } from "./select.ts";

describe("parseSelect", () => {
  it("defaults to all columns", () => {
    assert.deepEqual(parseSelect(null), [{ kind: "star" }]);
  });

  it("reads renames, casts and JSON paths with the output key PostgREST uses", () => {
    const [a, b, c] = parseSelect("label:title::text,meta->>lang,meta->awards->0") as SelectField[];
    assert.deepEqual([a.alias, a.name, a.cast], ["label", "title", "text"]);
    assert.equal(outputName(a), "label");
    assert.deepEqual(b.json, [{ op: "->>", key: "lang", index: false }]);
    assert.equal(outputName(b), "lang");
    assert.deepEqual(c.json[1], { op: "->", key: "0", index: true });
  });

  it("reads embeds with alias, hints, join type, spread and nesting", () => {
    const [e, s] = parseSelect("boss:people!letters_sender_fkey!inner(name,letters(*)),...directors(name)") as SelectEmbed[];
    assert.equal(e.kind, "embed");
    assert.deepEqual([e.alias, e.name, e.hint, e.join, e.spread], ["boss", "people", "letters_sender_fkey", "inner", false]);
    assert.equal((e.children[1] as SelectEmbed).name, "letters");
    assert.equal(s.spread, true);
  });

  it("accepts quoted identifiers with escapes", () => {
    const [f] = parseSelect('"we\\"ird,name"') as SelectField[];
    assert.equal(f.name, 'we"ird,name');
  });

  it("parses aggregates with aliases and casts on either side (allowed or not is the plan's call)", () => {
    assert.deepEqual(parseSelect("count(),n:count()::int"), [
      { kind: "field", name: "*", alias: undefined, json: [], aggregate: "count", aggregateCast: undefined },
      { kind: "field", name: "*", alias: "n", json: [], aggregate: "count", aggregateCast: "int" },
    ]);
    assert.deepEqual(parseSelect("avg_rating:rating::float.avg()::text"), [
      { kind: "field", name: "rating", alias: "avg_rating", json: [], cast: "float", aggregate: "avg", aggregateCast: "text" },
    ]);
    const [field] = parseSelect("meta->>lang.max()") as SelectField[];
    assert.deepEqual([field.name, field.json.length, field.aggregate], ["meta", 1, "max"]);
    assert.equal(outputName(field), "max");
  });

  it("refuses unknown aggregate functions with PGRST100", () => {
    for (const bad of ["rating.median()", "rating.sum", "rating.sum(x)"])
      assert.throws(
        () => parseSelect(bad),
        (e: RestError) => e.code === "PGRST100",
        bad,
      );
  });

  it("fails with PGRST100 on malformed input, pointing at the column", () => {
    for (const bad of ["title,", "films(title", "a;drop table films", "x::int;", "id::int)--", "films(("]) {
      assert.throws(
        () => parseSelect(bad),
        (e: RestError) => e instanceof RestError && e.code === "PGRST100" && e.status === 400,
        bad,
      );
    }
  });

  it("refuses absurdly deep embedding", () => {
    const deep = `${"a(".repeat(40)}id${")".repeat(40)}`;
    assert.throws(
      () => parseSelect(deep),
      (e: RestError) => e.code === "PGRST100",
    );
  });
});
