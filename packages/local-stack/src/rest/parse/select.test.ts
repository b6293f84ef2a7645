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

  it("refuses aggregates (disabled as on Supabase) with PGRST123", () => {
    assert.throws(
      () => parseSelect("count()"),
      (e: RestError) => e.code === "PGRST123" && e.status === 400,
    );
    assert.throws(
      () => parseSelect("rating.avg()"),
      (e: RestError) => e.code === "PGRST123",
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
