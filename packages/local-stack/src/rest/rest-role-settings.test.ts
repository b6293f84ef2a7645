// PostgREST's in-database config as a Supabase project uses it: a migration (run as `postgres`,
// not a superuser) sets `pgrst.*` on authenticator and notifies `reload config`; REST follows.
// `postgres` gains exactly that: it stays NOSUPERUSER, cannot become authenticator, and cannot
// store pgrst.* names PostgREST does not read.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { startFixtureStack } from "../testing/fixture-stack.ts";
import { client, rest } from "./test-fixture/start-rest-fixture.ts";

const MIGRATION = `
create table public.gauges (id int primary key, label text not null);
insert into public.gauges select i, 'g' || i from generate_series(1, 10) i;
grant select on public.gauges to anon;
create schema api;
create table api.dials (id int primary key);
insert into api.dials values (1), (2);
grant usage on schema api to anon;
grant select on api.dials to anon;
alter role authenticator set pgrst.db_max_rows = '3';
notify pgrst, 'reload config';
`;

let stack: FixtureStack;
let owner: postgres.Sql;

before(async () => {
  stack = await startFixtureStack({
    files: {
      "config.toml": 'project_id = "role-settings"\n[api]\nschemas = ["public", "api"]\nmax_rows = 1000\n',
      "migrations/20250101000000_api_settings.sql": MIGRATION,
    },
  });
  owner = postgres(stack.db.url("postgres"), { max: 1, onnotice: () => {} });
});
after(async () => {
  await owner?.end();
  await stack?.dispose();
});

/** Repeats `request` until `done` holds (NOTIFY reaches the REST service asynchronously); the last answer. */
async function settled(request: () => Promise<Response>, done: (res: Response) => boolean): Promise<Response> {
  let res = await request();
  for (let i = 0; i < 50 && !done(res); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    res = await request();
  }
  return res;
}

async function ids(path: string, profile?: string): Promise<Response> {
  return rest(stack, path, { headers: profile ? { "Accept-Profile": profile } : {} });
}

describe("REST in-database config (pgrst.* on authenticator)", () => {
  it("lets a migration, run as postgres, configure PostgREST; db_max_rows caps reads", async () => {
    const { data, error, count } = await client(stack).from("gauges").select("id", { count: "exact" }).order("id");
    assert.equal(error, null);
    assert.deepEqual(data, [{ id: 1 }, { id: 2 }, { id: 3 }]);
    assert.equal(count, 10);
    const [row] = await owner`select count(*)::int as n from public.gauges`;
    assert.equal(row.n, 10);
  });

  it("follows db_schemas after NOTIFY pgrst, 'reload config', and back after a reset", async () => {
    await owner`alter role authenticator set pgrst.db_schemas = 'api'`;
    await owner`notify pgrst, 'reload config'`;
    try {
      const res = await settled(
        () => ids("/gauges?select=id&limit=1", "public"),
        (r) => r.status === 406,
      );
      assert.equal(res.status, 406);
      assert.deepEqual(await res.json(), {
        code: "PGRST106",
        message: "Invalid schema: public",
        details: null,
        hint: "Only the following schemas are exposed: api",
      });
      const dials = await ids("/dials?select=id&order=id");
      assert.equal(dials.status, 200);
      assert.deepEqual(await dials.json(), [{ id: 1 }, { id: 2 }]);
    } finally {
      await owner`alter role authenticator reset pgrst.db_schemas`;
      await owner`notify pgrst, 'reload config'`;
    }
    const res = await settled(
      () => ids("/gauges?select=id&limit=1"),
      (r) => r.status === 200,
    );
    assert.deepEqual(await res.json(), [{ id: 1 }]);
  });

  it("honours Prefer: tx=rollback only when db_tx_end allows the override, and echoes it", async () => {
    const write = (method: string, path: string, body: unknown, prefer: string) =>
      rest(stack, path, {
        method,
        headers: { apikey: stack.keys.serviceRoleKey, "Content-Type": "application/json", Prefer: prefer },
        body: JSON.stringify(body),
      });
    const labels = async () => (await owner`select id, label from public.gauges where id in (1, 50) order by id`).map((r) => ({ ...r }));
    // db_tx_end = commit (Supabase's): the preference is not honoured, the write commits.
    const committed = await write("POST", "/gauges", { id: 50, label: "kept" }, "tx=rollback, return=representation");
    assert.equal(committed.status, 201);
    assert.equal(committed.headers.get("preference-applied"), "return=representation");
    assert.deepEqual(await labels(), [
      { id: 1, label: "g1" },
      { id: 50, label: "kept" },
    ]);
    await owner`alter role authenticator set pgrst.db_tx_end = 'commit-allow-override'`;
    await owner`notify pgrst, 'reload config'`;
    try {
      // A read shows when the reload has happened, without writing anything meanwhile.
      const read = await settled(
        () => rest(stack, "/gauges?select=id&id=eq.1", { headers: { Prefer: "tx=rollback" } }),
        (r) => r.headers.get("preference-applied") === "tx=rollback",
      );
      assert.equal(read.headers.get("preference-applied"), "tx=rollback");
      const rolledBack = await write("PATCH", "/gauges?id=eq.1", { label: "gone" }, "tx=rollback, return=representation");
      assert.equal(rolledBack.status, 200);
      assert.equal(rolledBack.headers.get("preference-applied"), "return=representation, tx=rollback");
      assert.deepEqual(await rolledBack.json(), [{ id: 1, label: "gone" }]);
      const deleted = await write("DELETE", "/gauges?id=eq.50", undefined, "tx=rollback");
      assert.equal(deleted.status, 204);
      assert.equal(deleted.headers.get("preference-applied"), "tx=rollback");
      assert.deepEqual(await labels(), [
        { id: 1, label: "g1" },
        { id: 50, label: "kept" },
      ]);
      const kept = await write("PATCH", "/gauges?id=eq.50", { label: "changed" }, "tx=commit");
      assert.equal(kept.status, 204);
      assert.equal(kept.headers.get("preference-applied"), "tx=commit");
      assert.deepEqual(await labels(), [
        { id: 1, label: "g1" },
        { id: 50, label: "changed" },
      ]);
    } finally {
      await owner`alter role authenticator reset pgrst.db_tx_end`;
      await owner`notify pgrst, 'reload config'`;
      await owner`delete from public.gauges where id = 50`;
    }
  });

  it("lets postgres set statement_timeout on authenticator, as on Supabase", async () => {
    await owner`alter role authenticator set statement_timeout = '15s'`;
    const [row] = await owner`select rolconfig from pg_roles where rolname = 'authenticator'`;
    assert.ok((row.rolconfig as string[]).includes("statement_timeout=15s"));
    await owner`alter role authenticator set statement_timeout = '8s'`;
  });

  it("keeps postgres a non-superuser that cannot become authenticator or store unknown pgrst names", async () => {
    const [me] = await owner`select rolsuper from pg_roles where rolname = current_user`;
    assert.equal(me.rolsuper, false);
    await assert.rejects(owner`set role authenticator`, /permission denied to set role "authenticator"/);
    await assert.rejects(owner`alter role authenticator set pgrst.made_up = 'x'`, /permission denied to set parameter "pgrst.made_up"/);
    await assert.rejects(owner`alter role supabase_admin set pgrst.db_max_rows = '1'`, /permission denied to alter role/);
    const [row] = await owner`select rolconfig from pg_roles where rolname = 'authenticator'`;
    assert.ok(!(row.rolconfig as string[]).some((setting) => setting.startsWith("pgrst.made_up")));
  });
});
