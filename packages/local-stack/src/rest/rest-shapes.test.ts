// Response shapes of PostgREST v13+ (the Supabase CLI pins v14): to-many spreads, the
// nulls=stripped media type parameter, and the isdistinct operator, through the unmodified supabase-js.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

describe("REST response shapes", () => {
  it("spreads a to-many embed into one array per column, ordered by the embed's order", async () => {
    const { data, error } = await db
      .from("directors")
      .select("name, ...films(titles:title, year)")
      .in("id", [1, 3])
      .order("id")
      .order("year", { referencedTable: "films", ascending: false });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { name: "Agnès Varda", titles: ["Vagabond", "Cléo from 5 to 7"], year: [1985, 1962] },
      { name: "Nobody Yet", titles: [], year: [] },
    ]);
  });

  it("drops null fields with nulls=stripped (stripNulls()), at any depth", async () => {
    const { data, error } = await db.from("films").select("id, year, directors(name)").in("id", [4, 5]).order("id").stripNulls();
    assert.equal(error, null);
    assert.deepEqual(data, [{ id: 4, year: 1952, directors: { name: "Akira Kurosawa" } }, { id: 5 }]);
    const single = await db.from("films").select("id, year, rating").eq("id", 5).single().stripNulls();
    assert.deepEqual(single.data, { id: 5 });
    const res = await rest(stack, "/films?select=id,year&id=eq.5", {
      headers: { Accept: "application/vnd.pgrst.array+json;nulls=stripped" },
    });
    assert.equal(res.headers.get("content-type"), "application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8");
    assert.deepEqual(await res.json(), [{ id: 5 }]);
    const plain = await rest(stack, "/films?select=id,year&id=eq.5", { headers: { Accept: "application/vnd.pgrst.array+json" } });
    assert.equal(plain.headers.get("content-type"), "application/json; charset=utf-8");
    assert.deepEqual(await plain.json(), [{ id: 5, year: null }]);
    const scalar = await rest(stack, "/rpc/echo", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/vnd.pgrst.array+json;nulls=stripped" },
      body: JSON.stringify({ payload: { a: null, b: { c: null, d: 1 } } }),
    });
    assert.deepEqual(await scalar.json(), { b: { d: 1 } });
  });

  it("filters with isdistinct (IS DISTINCT FROM), which keeps nulls", async () => {
    const { data } = await db.from("films").select("id").filter("director_id", "isdistinct", 1).order("id");
    assert.deepEqual(data, [{ id: 3 }, { id: 4 }, { id: 5 }]);
    const negated = await db.from("films").select("id").not("director_id", "isdistinct", 1).order("id");
    assert.deepEqual(negated.data, [{ id: 1 }, { id: 2 }]);
  });
});
