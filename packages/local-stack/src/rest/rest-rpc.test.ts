// End-to-end RPC, the per-request transaction context, pre-request hook, custom errors and schema
// cache reloads, through the unmodified supabase-js.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture, userToken } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

async function asSuperuser<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(stack.db.adminUrl, { max: 1, onnotice: () => {} });
  try {
    return await fn(sql);
  } finally {
    await sql.end();
  }
}

describe("REST RPC", () => {
  it("calls scalar functions by POST and GET, with optional arguments", async () => {
    assert.deepEqual((await db.rpc("add_them", { a: 1, b: 2 })).data, 3);
    assert.deepEqual((await db.rpc("add_them", { a: 1 }, { get: true })).data, 11);
    assert.deepEqual((await db.rpc("film_count")).data, 5);
  });

  it("returns sets as arrays, composites as objects, and accepts filters, order and select", async () => {
    const films = await db.rpc("films_by", { director: 2 }).select("title").order("year", { ascending: false });
    assert.deepEqual(films.data, [{ title: "Ikiru" }, { title: "Rashomon" }]);
    const filtered = await db.rpc("films_by", { director: 2 }, { get: true }).gt("year", 1951).select("title, directors(name)");
    assert.deepEqual(filtered.data, [{ title: "Ikiru", directors: { name: "Akira Kurosawa" } }]);
    assert.deepEqual((await db.rpc("years").limit(2)).data, [1950, 1952]);
    const stats = await db.rpc("film_stats", {}, { count: "exact" }).eq("director", "Nobody Yet");
    assert.deepEqual([stats.data, stats.count], [[{ director: "Nobody Yet", films: 0 }], 1]);
    const first = await db.rpc("first_film").select("id, title");
    assert.deepEqual(first.data, { id: 1, title: "Cléo from 5 to 7" });
  });

  it("answers void functions with 204, passes JSON arguments and raw JSON bodies", async () => {
    const noop = await db.rpc("noop");
    assert.deepEqual([noop.status, noop.data], [204, null]);
    assert.deepEqual((await db.rpc("echo", { payload: { a: [1, { b: null }] } })).data, { a: [1, { b: null }] });
    assert.deepEqual((await db.rpc("raw_echo", { anything: true })).data, { anything: true });
  });

  it("runs volatile functions in a writable transaction and stable ones read-only", async () => {
    const svc = client(stack, stack.keys.serviceRoleKey);
    const added = await svc.rpc("add_item", { item_name: "rpc-item" }).select("name");
    assert.deepEqual(added.data, { name: "rpc-item" });
    const readOnly = await svc.rpc("add_item", { item_name: "rpc-get" }, { get: true });
    assert.deepEqual([readOnly.status, readOnly.error?.code], [405, "25006"]);
  });

  it("answers unknown functions and bad arguments with PGRST202", async () => {
    const res = await db.rpc("add_them", { x: 1 });
    assert.deepEqual(
      [res.status, res.error?.code, res.error?.message],
      [404, "PGRST202", "Could not find the function public.add_them(x) in the schema cache"],
    );
    const typo = await db.rpc("add_the", { a: 1 });
    assert.equal(typo.error?.hint, "Perhaps you meant to call the function public.add_them");
  });

  it("maps RAISE EXCEPTION to 400 and RAISE SQLSTATE 'PGRST' to the given body, status and headers", async () => {
    const raised = await db.rpc("fail_loudly", { message: "boom" });
    assert.equal(raised.status, 400);
    assert.deepEqual(raised.error && { ...raised.error }, {
      code: "P0001",
      message: "boom",
      details: "raised on purpose",
      hint: "do not call this",
    });
    const custom = await rest(stack, "/rpc/custom_error", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    assert.equal(custom.status, 402);
    assert.equal(custom.headers.get("x-powered-by"), "basekit");
    assert.deepEqual(await custom.json(), { code: "123", message: "Payment required", details: "Quota exceeded", hint: "Upgrade" });
  });

  it("lets functions set response.status and response.headers", async () => {
    const res = await rest(stack, "/rpc/set_teapot");
    assert.deepEqual([res.status, res.headers.get("x-brew"), await res.json()], [418, "tea", 1]);
  });

  it("runs as the token's role with its claims, method, path, headers and statement_timeout", async () => {
    const sub = randomUUID();
    const signedIn = client(stack, userToken(stack, sub));
    const res = await rest(stack, "/rpc/whoami", { headers: { Authorization: `Bearer ${userToken(stack, sub)}`, "X-Client-Tag": "t1" } });
    const body = await res.json();
    assert.deepEqual(
      [body.role, body.sub, body.method, body.path, body.client, body.timeout],
      ["authenticated", sub, "GET", "/rpc/whoami", "t1", "8s"],
    );
    assert.equal(body.search_path, '"public", "public", "extensions"');
    const anon = (await db.rpc("whoami")).data as Record<string, unknown>;
    assert.deepEqual([anon.role, anon.sub, anon.timeout], ["anon", null, "3s"]);
    assert.equal(((await signedIn.rpc("whoami")).data as Record<string, unknown>).method, "POST");
  });

  it("cancels statements past the role's statement_timeout", async () => {
    await asSuperuser((sql) => sql`alter role anon set statement_timeout = '200ms'`);
    await asSuperuser((sql) => sql`notify pgrst, 'reload schema'`);
    try {
      let res = await db.rpc("sleepy", { seconds: 1 });
      for (let i = 0; i < 20 && res.error?.code !== "57014"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        res = await db.rpc("sleepy", { seconds: 1 });
      }
      assert.deepEqual([res.status, res.error?.code], [500, "57014"]);
    } finally {
      await asSuperuser((sql) => sql`alter role anon set statement_timeout = '3s'`);
      await asSuperuser((sql) => sql`notify pgrst, 'reload schema'`);
    }
  });

  it("honours a pre-request function configured on the authenticator role", async () => {
    assert.equal((await rest(stack, "/films?select=id&limit=1", { headers: { "X-Block": "1" } })).status, 200);
    await asSuperuser((sql) => sql`alter role authenticator set pgrst.db_pre_request = 'public.check_request'`);
    await asSuperuser((sql) => sql`notify pgrst, 'reload config'`);
    try {
      let res = await rest(stack, "/films?select=id&limit=1", { headers: { "X-Block": "1" } });
      for (let i = 0; i < 20 && res.status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        res = await rest(stack, "/films?select=id&limit=1", { headers: { "X-Block": "1" } });
      }
      assert.deepEqual([res.status, (await res.json()).message], [403, "blocked by pre-request"]);
      assert.equal((await rest(stack, "/films?select=id&limit=1")).status, 200);
    } finally {
      await asSuperuser((sql) => sql`alter role authenticator reset pgrst.db_pre_request`);
      await asSuperuser((sql) => sql`notify pgrst, 'reload config'`);
    }
  });

  it("reloads the schema cache on NOTIFY pgrst", async () => {
    const before = await db.from("late_table").select("*");
    assert.equal(before.error?.code, "PGRST205");
    await asSuperuser(async (sql) => {
      await sql`create table public.late_table (id int primary key)`;
      await sql`grant select on public.late_table to anon`;
      await sql`insert into public.late_table values (1)`;
      await sql`notify pgrst, 'reload schema'`;
    });
    let after = await db.from("late_table").select("*");
    for (let i = 0; i < 20 && after.error; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await db.from("late_table").select("*");
    }
    assert.deepEqual(after.data, [{ id: 1 }]);
  });
});
