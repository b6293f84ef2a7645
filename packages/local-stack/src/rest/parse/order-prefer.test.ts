import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RestError } from "../errors.ts";
import { parseOrder } from "./order.ts";
import { appliedPreferences, parsePrefer } from "./prefer.ts";
import { parseQuery } from "./query-params.ts";

describe("parseOrder", () => {
  it("reads direction, nulls, JSON paths and related columns", () => {
    const terms = parseOrder("year.desc.nullslast,title,meta->>lang.asc,directors(name).desc");
    assert.deepEqual(terms[0], { relation: undefined, column: "year", json: [], direction: "desc", nulls: "last" });
    assert.equal(terms[1].direction, undefined);
    assert.equal(terms[2].json[0].key, "lang");
    assert.deepEqual([terms[3].relation, terms[3].column], ["directors", "name"]);
  });

  it("fails with PGRST100 on unknown modifiers", () => {
    assert.throws(
      () => parseOrder("id.sideways"),
      (e: RestError) => e.code === "PGRST100",
    );
    assert.throws(
      () => parseOrder("id;drop"),
      (e: RestError) => e.code === "PGRST100",
    );
  });
});

describe("parsePrefer", () => {
  it("reads comma lists and repeated headers, first value wins", () => {
    const prefs = parsePrefer(["return=representation, count=exact", "return=minimal,resolution=merge-duplicates,missing=default"]);
    assert.deepEqual(prefs, { return: "representation", count: "exact", resolution: "merge-duplicates", missing: "default" });
    assert.equal(
      appliedPreferences(prefs, { mutation: true, resolution: true }),
      "resolution=merge-duplicates, missing=default, return=representation, count=exact",
    );
  });

  it("ignores unknown preferences unless handling=strict", () => {
    assert.deepEqual(parsePrefer("foo=bar"), {});
    assert.throws(
      () => parsePrefer("handling=strict, foo=bar"),
      (e: RestError) => e.code === "PGRST122" && e.status === 400,
    );
  });
});

describe("parseQuery", () => {
  it("routes filters and modifiers to their embed paths", () => {
    const q = parseQuery(
      "select=id,actors(name)&actors.name=eq.x&actors.order=name.desc&actors.limit=2&or=(id.eq.1,id.eq.2)&actors.not.or=(id.eq.3)&on_conflict=id&columns=%22a%22,b",
    );
    assert.equal(q.nodes.get("")?.filters.length, 1);
    assert.equal(q.nodes.get("actors")?.filters.length, 2);
    assert.equal(q.nodes.get("actors")?.limit, 2);
    assert.equal(q.nodes.get("actors")?.order?.[0].direction, "desc");
    assert.deepEqual(q.onConflict, ["id"]);
    assert.deepEqual(q.columns, ["a", "b"]);
  });

  it("treats RPC arguments apart from filters", () => {
    const q = parseQuery("a=1&b=2&id=gt.3", true);
    assert.deepEqual(
      [...q.args.entries()],
      [
        ["a", ["1"]],
        ["b", ["2"]],
      ],
    );
    assert.equal(q.nodes.get("")?.filters.length, 1);
  });

  it("rejects non-numeric limit/offset with PGRST100", () => {
    assert.throws(
      () => parseQuery("limit=1;drop"),
      (e: RestError) => e.code === "PGRST100",
    );
    assert.throws(
      () => parseQuery("offset=-1"),
      (e: RestError) => e.code === "PGRST100",
    );
  });
});
