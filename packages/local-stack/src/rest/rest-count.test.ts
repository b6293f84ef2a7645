// Prefer: count=planned|estimated through the unmodified supabase-js: the planner's estimate (read
// here with EXPLAIN under the same role), exact counts up to max_rows (1000 in the fixture).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;
let admin: postgres.Sql;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
  admin = postgres(stack.db.adminUrl, { max: 1, onnotice: () => {} });
});
after(async () => {
  await admin?.end();
  await stack?.dispose();
});

/** The planner's row estimate for `select 1 from public.readings where <where>`, as `anon`. */
async function plannedRows(where: string): Promise<number> {
  const plan = await admin.begin(async (tx) => {
    await tx.unsafe("set local role anon");
    return tx.unsafe(`explain (format json) select 1 from public.readings where ${where}`);
  });
  const rows = (plan[0]["QUERY PLAN"] as { Plan: { "Plan Rows": number } }[])[0].Plan["Plan Rows"];
  return rows;
}

async function exactRows(where: string): Promise<number> {
  const [row] = await admin.unsafe(`select count(*)::int as n from public.readings where ${where}`);
  return row.n as number;
}

describe("REST planned and estimated counts", () => {
  it("answers count=planned with the planner's estimate, not the exact count", async () => {
    const planned = await plannedRows("a = 3 and b = 3");
    const exact = await exactRows("a = 3 and b = 3");
    assert.notEqual(planned, exact, "the fixture must make the planner misjudge this filter");
    const { count, data, status } = await db.from("readings").select("id", { count: "planned" }).eq("a", 3).eq("b", 3).limit(2);
    assert.equal(count, planned);
    assert.deepEqual([data?.length, status], [2, 206]);
    const res = await rest(stack, "/readings?select=id&a=eq.3&b=eq.3&limit=2", { headers: { Prefer: "count=planned" } });
    assert.equal(res.headers.get("content-range"), `0-1/${planned}`);
    assert.equal(res.headers.get("preference-applied"), "count=planned");
  });

  it("answers count=estimated exactly up to max_rows", async () => {
    const exact = await exactRows("a = 3 and b = 3");
    assert.ok(exact <= 1000);
    assert.notEqual(await plannedRows("a = 3 and b = 3"), exact);
    const { count } = await db.from("readings").select("id", { count: "estimated", head: true }).eq("a", 3).eq("b", 3);
    assert.equal(count, exact);
  });

  it("answers count=estimated above max_rows with the planner's estimate (or max_rows + 1 if larger)", async () => {
    for (const bound of [8, 3]) {
      const where = `a < ${bound} and b < ${bound}`;
      const planned = await plannedRows(where);
      const exact = await exactRows(where);
      assert.ok(exact > 1000);
      const expected = Math.max(planned, 1001);
      assert.notEqual(expected, exact, "the fixture must make the planner misjudge this filter");
      const { count, status } = await db.from("readings").select("id", { count: "estimated" }).lt("a", bound).lt("b", bound).limit(1);
      assert.deepEqual([count, status], [expected, 206]);
    }
  });

  it("leaves the total out for planned counts of functions and writes", async () => {
    const rpc = await rest(stack, "/rpc/years", { headers: { Prefer: "count=planned" } });
    assert.equal(rpc.headers.get("content-range"), "0-3/*");
    const estimated = await rest(stack, "/rpc/years", { headers: { Prefer: "count=estimated" } });
    assert.equal(estimated.headers.get("content-range"), "0-3/4");
    const write = await rest(stack, "/items", {
      method: "POST",
      headers: { "Content-Type": "application/json", Prefer: "count=planned", Authorization: `Bearer ${stack.keys.serviceRoleKey}` },
      body: JSON.stringify({ name: "planned-count-1" }),
    });
    assert.deepEqual([write.status, write.headers.get("content-range")], [201, "*/*"]);
    const exact = await rest(stack, "/items", {
      method: "POST",
      headers: { "Content-Type": "application/json", Prefer: "count=exact", Authorization: `Bearer ${stack.keys.serviceRoleKey}` },
      body: JSON.stringify({ name: "planned-count-2" }),
    });
    assert.deepEqual([exact.status, exact.headers.get("content-range")], [201, "*/1"]);
  });
});
