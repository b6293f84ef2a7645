// Aggregates in `select` through the unmodified supabase-js: PGRST123 while
// `pgrst.db_aggregates_enabled` is off (Supabase's default), then count/sum/avg/min/max with
// aliases, casts, GROUP BY from the other columns, on embedded resources and hoisted from spreads.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;
let owner: postgres.Sql;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
  owner = postgres(stack.db.url("postgres"), { max: 1, onnotice: () => {} });
});
after(async () => {
  await owner?.end();
  await stack?.dispose();
});

async function enableAggregates(): Promise<void> {
  await owner`alter role authenticator set pgrst.db_aggregates_enabled = 'true'`;
  await owner`notify pgrst, 'reload config'`;
  for (let i = 0; i < 50 && (await rest(stack, "/films?select=count()")).status !== 200; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
}

describe("REST aggregates", () => {
  it("refuses aggregates with PGRST123 while db_aggregates_enabled is off, at any depth", async () => {
    for (const select of ["count()", "rating.avg()", "name,films(year.max())"]) {
      const table = select.startsWith("name") ? "directors" : "films";
      const { data, error, status } = await db.from(table).select(select);
      assert.equal(status, 400, select);
      assert.equal(data, null);
      assert.deepEqual(
        { ...error },
        { code: "PGRST123", message: "Use of aggregate functions is not allowed", details: null, hint: null },
        select,
      );
    }
    // The legacy `count` column is not an aggregate function call and keeps working.
    const legacy = await db.from("directors").select("name,films(count)").eq("id", 1);
    assert.deepEqual(legacy.data, [{ name: "Agnès Varda", films: [{ count: 2 }] }]);
  });

  it("counts, sums and casts once enabled", async () => {
    await enableAggregates();
    assert.deepEqual((await db.from("films").select("count()")).data, [{ count: 5 }]);
    assert.deepEqual((await db.from("films").select("total:count()::text")).data, [{ total: "5" }]);
    assert.deepEqual((await db.from("films").select("year.sum(),rating::int.max()")).data, [{ sum: 7849, max: 8 }]);
    assert.deepEqual((await db.from("films").select("count()").eq("director_id", 99)).data, [{ count: 0 }]);
  });

  it("groups by every other selected column, with filters and order", async () => {
    const { data, error } = await db
      .from("films")
      .select("director_id,n:count(),rating.max(),year.min()::text")
      .order("director_id", { ascending: true });
    assert.equal(error, null);
    assert.deepEqual(data, [
      { director_id: 1, n: 2, max: 8.1, min: "1962" },
      { director_id: 2, n: 2, max: 8.3, min: "1950" },
      { director_id: null, n: 1, max: null, min: null },
    ]);
    const released = await db.from("films").select("released,count()").eq("released", true);
    assert.deepEqual(released.data, [{ released: true, count: 4 }]);
  });

  it("aggregates inside embedded resources, one row per parent", async () => {
    const { data } = await db.from("directors").select("name,films(count(),rating.sum())").order("id");
    assert.deepEqual(data, [
      { name: "Agnès Varda", films: [{ count: 2, sum: 16 }] },
      { name: "Akira Kurosawa", films: [{ count: 2, sum: 16.5 }] },
      { name: "Nobody Yet", films: [{ count: 0, sum: null }] },
    ]);
  });

  it("hoists aggregates out of a to-one spread to the parent's groups", async () => {
    const { data } = await db.from("films").select("released,...film_details(budget.sum(),details:count())").order("released");
    assert.deepEqual(data, [
      { released: false, sum: null, details: 0 },
      { released: true, sum: 350000, details: 2 },
    ]);
  });

  it("leaves the data untouched", async () => {
    const [row] = await owner`select count(*)::int as films, sum(year)::int as years from public.films`;
    assert.deepEqual({ ...row }, { films: 5, years: 7849 });
  });
});
