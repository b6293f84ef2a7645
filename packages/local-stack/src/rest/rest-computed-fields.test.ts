// Computed fields through the unmodified supabase-js: a function taking a table's row and
// returning a scalar reads like a column in select, filters, order and embeds (never in `*`).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

describe("REST computed fields", () => {
  it("selects, aliases, filters and orders by a computed field", async () => {
    const { data, error } = await db
      .from("films")
      .select("id, label:title_year")
      .in("id", [3, 4, 5])
      .order("title_year", { ascending: false });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { id: 5, label: 'Untitled, "draft" (?)' },
      { id: 3, label: "Rashomon (1950)" },
      { id: 4, label: "Ikiru (1952)" },
    ]);
    const filtered = await db.from("films").select("id").eq("title_year", "Ikiru (1952)");
    assert.deepEqual(filtered.data, [{ id: 4 }]);
  });

  it("reads a computed field inside an embed, and leaves it out of *", async () => {
    const embedded = await db.from("directors").select("name, films(title_year)").eq("id", 2).order("id", { referencedTable: "films" });
    assert.deepEqual(embedded.data, [
      { name: "Akira Kurosawa", films: [{ title_year: "Rashomon (1950)" }, { title_year: "Ikiru (1952)" }] },
    ]);
    const star = await db.from("films").select("*").eq("id", 4).single();
    assert.equal(star.error, null);
    assert.equal("title_year" in (star.data as object), false);
  });

  it("still refuses a name that is neither a column nor a computed field", async () => {
    const { status, error } = await db.from("films").select("id, title_years");
    assert.deepEqual([status, error?.code, error?.message], [400, "42703", "column films.title_years does not exist"]);
  });
});
