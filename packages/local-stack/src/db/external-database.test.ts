// --db-url: the stack on someone else's PostgreSQL. Debian's PostgreSQL 15 (the oldest version we
// support) plays that server: started here, then handed to the stack by URL only.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import ws from "ws";
import { loadConfig } from "../config/load-config.ts";
import { createLogger } from "../log/logger.ts";
import { type RunningStack, startStack } from "../stack.ts";
import { freePort } from "../testing/fixture-stack.ts";
import { connect } from "./connect.ts";
import { type RunningPostgres, SUPERUSER, startEmbeddedPostgres } from "./embedded-postgres.ts";

const debianBin = "/usr/lib/postgresql/15/bin";
const quiet = createLogger({}, () => {}, "error");
let server: RunningPostgres;
let stack: RunningStack;
let workdir: string;

before(async () => {
  assert.ok(existsSync(join(debianBin, "postgres")), "needs Debian's postgresql-15 (apt-get install postgresql-15; .ci/run installs it)");
  workdir = mkdtempSync(join(tmpdir(), "basekit-external-"));
  chmodSync(workdir, 0o755);
  server = await startEmbeddedPostgres({
    dataDir: join(workdir, "pg15"),
    port: await freePort(),
    host: "127.0.0.1",
    logger: quiet,
    binaries: {
      initdb: join(debianBin, "initdb"),
      postgres: join(debianBin, "postgres"),
      extensionDir: "/usr/share/postgresql/15/extension",
      libDir: "",
    },
  });
  mkdirSync(join(workdir, "supabase", "migrations"), { recursive: true });
  writeFileSync(join(workdir, "supabase", "config.toml"), 'project_id = "external"\n');
  writeFileSync(
    join(workdir, "supabase", "migrations", "20240101000000_notes.sql"),
    `create table public.notes (id bigint generated always as identity primary key, owner uuid default auth.uid(), body text);
alter table public.notes enable row level security;
create policy "owners read their notes" on public.notes for select to authenticated using ((select auth.uid()) = owner);
insert into public.notes (owner, body) values ('6f1c2c7e-0000-4000-8000-000000000001', 'mine');\n`,
  );
  const config = loadConfig(workdir, {
    dbUrl: server.url(SUPERUSER),
    apiPort: await freePort(),
    mailPort: await freePort(),
    stateDir: join(workdir, ".basekit"),
  });
  stack = await startStack(config, quiet);
});

after(async () => {
  await stack?.stop();
  await server?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

test("the stack bootstraps an external PostgreSQL 15 given only its URL, and applies the project's migrations", async () => {
  const sql = connect(stack.dbUrl, { max: 1 });
  try {
    const [row] = await sql`select current_setting('server_version_num')::int / 10000 as major, auth.uid() as uid,
      (select count(*)::int from supabase_migrations.schema_migrations) as migrations`;
    assert.deepEqual({ ...row }, { major: 15, uid: null, migrations: 1 });
  } finally {
    await sql.end();
  }
});

test("RLS on the external database decides what the REST API returns", async () => {
  const client = createClient(stack.apiUrl, stack.keys.anonKey, { realtime: { transport: ws as never } });
  const anonymous = await client.from("notes").select("body");
  assert.equal(anonymous.error, null);
  assert.deepEqual(anonymous.data, []);
  const admin = createClient(stack.apiUrl, stack.keys.serviceRoleKey, { realtime: { transport: ws as never } });
  const all = await admin.from("notes").select("body");
  assert.deepEqual(all.data, [{ body: "mine" }]);
});
