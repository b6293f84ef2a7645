// The stack core end to end on throwaway projects: start, Supabase bootstrap, migrations recorded
// as the CLI records them, and the failures that must give one clear message and change nothing.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { join } from "node:path";
import { after, test } from "node:test";
import { loadConfig } from "./config/load-config.ts";
import { connect } from "./db/connect.ts";
import { applyMigrations, MigrationError } from "./db/migrations/apply-migrations.ts";
import { createLogger } from "./log/logger.ts";
import { AlreadyRunningError, startStack } from "./stack.ts";
import { freePort, startFixtureStack } from "./testing/fixture-stack.ts";

/** "connected" when something accepts a TCP connection on the port, else the error code. */
function tcpConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const quiet = createLogger({}, () => {}, "error");
const disposers: (() => Promise<void>)[] = [];
after(async () => {
  for (const dispose of disposers) await dispose();
});

const migrations = {
  "migrations/20240101000000_notes.sql":
    "create table public.notes (id bigint generated always as identity primary key, body text);\ninsert into public.notes (body) values ('first');\n",
  "migrations/20240102000000_tags.sql":
    "create table public.tags (id int primary key);\n-- the next line is wrong on purpose\nselect * from no_such_table;\n",
};

test("a started stack serves the Supabase bootstrap: auth.uid() is null without claims, the sub claim with them", async () => {
  const stack = await startFixtureStack();
  disposers.push(() => stack.dispose());
  const sql = connect(stack.dbUrl, { max: 1 });
  try {
    const [anonymous] = await sql`select auth.uid() as uid`;
    assert.equal(anonymous.uid, null);
    const [signedIn] = await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', '{"sub":"6f1c2c7e-0000-4000-8000-000000000001","role":"authenticated"}', true)`;
      return tx`select auth.uid() as uid, auth.role() as role`;
    });
    assert.equal(signedIn.uid, "6f1c2c7e-0000-4000-8000-000000000001");
    assert.equal(signedIn.role, "authenticated");
    const health = await fetch(`${stack.apiUrl}/health`).then((r) => r.json());
    assert.equal(health.status, "ok");
    // The data folder lives in the project and ignores itself for git.
    assert.match(readFileSync(join(stack.workdir, ".basekit", ".gitignore"), "utf8"), /^\*$/m);
  } finally {
    await sql.end();
  }
});

test("a failing migration names its file and line, and leaves the database as it was before it", async () => {
  await assert.rejects(startFixtureStack({ files: migrations }), (error: MigrationError) => {
    assert.ok(error instanceof MigrationError);
    assert.match(error.message, /20240102000000_tags\.sql:3: relation "no_such_table" does not exist/);
    return true;
  });
  // Start the same project with the bad migration fixed: only then do the second file's objects exist.
  const stack = await startFixtureStack({
    files: { ...migrations, "migrations/20240102000000_tags.sql": "create table public.tags (id int primary key);\n" },
  });
  disposers.push(() => stack.dispose());
  const sql = connect(stack.dbUrl, { max: 1 });
  try {
    const rows = await sql`select version, name, statements from supabase_migrations.schema_migrations order by version`;
    assert.deepEqual(
      rows.map((r) => [r.version, r.name]),
      [
        ["20240101000000", "notes"],
        ["20240102000000", "tags"],
      ],
    );
    assert.equal(rows[0].statements.length, 2);
    assert.equal((await sql`select count(*)::int as n from public.notes`)[0].n, 1);
  } finally {
    await sql.end();
  }
});

test("the failed migration's own changes are rolled back and earlier ones kept", async () => {
  const stack = await startFixtureStack();
  disposers.push(() => stack.dispose());
  const migrationsDir = join(stack.workdir, "supabase", "migrations");
  mkdirSync(migrationsDir, { recursive: true });
  for (const [path, text] of Object.entries(migrations)) writeFileSync(join(stack.workdir, "supabase", path), text);
  const sql = connect(stack.db.url("postgres"), { max: 1 });
  try {
    await assert.rejects(applyMigrations(sql, migrationsDir), MigrationError);
    const [state] = await sql`select to_regclass('public.notes') is not null as notes, to_regclass('public.tags') is not null as tags`;
    assert.deepEqual({ ...state }, { notes: true, tags: false });
    const versions = await sql`select version from supabase_migrations.schema_migrations`;
    assert.deepEqual(
      versions.map((r) => r.version),
      ["20240101000000"],
    );
  } finally {
    await sql.end();
  }
});

test("a second start of the same project is refused while the first runs", async () => {
  const stack = await startFixtureStack();
  disposers.push(() => stack.dispose());
  const config = loadConfig(stack.workdir, {
    apiPort: await freePort(),
    dbPort: await freePort(),
    mailPort: await freePort(),
    stateDir: join(stack.workdir, ".basekit"),
  });
  await assert.rejects(startStack(config, quiet), AlreadyRunningError);
});

test("a port already in use is reported by name and number, and nothing is started", async () => {
  const stack = await startFixtureStack();
  await stack.stop();
  const blocker = createServer();
  const port = await freePort();
  await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
  try {
    const dbPort = await freePort();
    const config = loadConfig(stack.workdir, {
      apiPort: port,
      dbPort,
      mailPort: await freePort(),
      stateDir: join(stack.workdir, ".basekit"),
    });
    await assert.rejects(startStack(config, quiet), new RegExp(`Port ${port} \\(API\\) is already in use`));
    assert.equal(await tcpConnect(port), "connected", "the probe does see a listener");
    // The database was not started either: nothing listens on its port.
    assert.equal(await tcpConnect(dbPort), "ECONNREFUSED");
  } finally {
    blocker.close();
    await stack.dispose();
  }
});

test("a data directory left by a crashed PostgreSQL is recovered on the next start", async () => {
  const stack = await startFixtureStack();
  const dataDir = join(stack.workdir, ".basekit", "db");
  const pid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  process.kill(pid, "SIGKILL");
  await stack.db.exited;
  await stack.stop();
  // What a crash leaves: a postmaster.pid naming a process that is gone.
  writeFileSync(join(dataDir, "postmaster.pid"), `${pid}\n${dataDir}\n`);
  const config = loadConfig(stack.workdir, {
    apiPort: await freePort(),
    dbPort: await freePort(),
    mailPort: await freePort(),
    stateDir: join(stack.workdir, ".basekit"),
  });
  const again = await startStack(config, quiet);
  disposers.push(async () => {
    await again.stop();
    await stack.dispose();
  });
  const sql = connect(again.dbUrl, { max: 1 });
  try {
    assert.equal((await sql`select 1 as one`)[0].one, 1);
  } finally {
    await sql.end();
  }
});
