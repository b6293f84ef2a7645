// Gives a fresh database what Supabase's Postgres image, CLI and service migrations give it
// (roles, schemas, auth/storage/realtime tables, grants), by running the numbered SQL files
// beside this module. Files already applied are recorded so that a newer basekit can add files to
// an existing database without a reset: in supabase_migrations.basekit_bootstrap, a schema the
// Supabase CLI treats as its own (`supabase inspect db` and `db dump` leave it out), so the
// bookkeeping never shows among the project's tables.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sql } from "../connect.ts";
import { runSqlFile } from "../migrations/apply-migrations.ts";

const bootstrapDir = dirname(fileURLToPath(import.meta.url));

export function listBootstrapFiles(): string[] {
  return readdirSync(bootstrapDir)
    .filter((file) => /^\d+_.*\.sql$/.test(file))
    .sort();
}

export interface BootstrapSettings {
  jwtSecret: string;
  jwtExpiry: number;
}

/** Applies bootstrap files not yet recorded. Runs as the cluster superuser. */
export async function applyBootstrap(sql: Sql, settings: BootstrapSettings, onFile: (file: string) => void = () => {}): Promise<string[]> {
  await sql
    .unsafe(`
    create schema if not exists supabase_migrations;
    create table if not exists supabase_migrations.basekit_bootstrap (file text primary key, applied_at timestamptz not null default now());
    comment on table supabase_migrations.basekit_bootstrap is 'basekit local stack: Supabase bootstrap files applied to this database (not part of Supabase)';
    do $$
    begin
      -- The superuser writes here: a table someone else made first (postgres owns the schema) could carry their trigger.
      if (select relowner from pg_catalog.pg_class where oid = 'supabase_migrations.basekit_bootstrap'::regclass) <> current_user::text::regrole then
        raise exception 'supabase_migrations.basekit_bootstrap is not owned by %: refusing to bootstrap', current_user;
      end if;
      -- Databases bootstrapped before kept the record in _basekit.bootstrap.
      if to_regclass('_basekit.bootstrap') is not null then
        insert into supabase_migrations.basekit_bootstrap select file, applied_at from _basekit.bootstrap on conflict do nothing;
        drop table _basekit.bootstrap;
      end if;
    end $$;
  `)
    .simple();
  const done = new Set((await sql<{ file: string }[]>`select file from supabase_migrations.basekit_bootstrap`).map((row) => row.file));
  const pending = listBootstrapFiles().filter((file) => !done.has(file));
  for (const file of pending) {
    onFile(file);
    await runSqlFile(
      sql,
      join(bootstrapDir, file),
      (tx) => tx`insert into supabase_migrations.basekit_bootstrap (file) values (${file})`,
      (tx) =>
        tx`select set_config('basekit.jwt_secret', ${settings.jwtSecret}, true), set_config('basekit.jwt_exp', ${String(settings.jwtExpiry)}, true)`,
    );
  }
  // The CLI creates supabase_migrations as postgres (its migrations run as postgres); on a fresh
  // database role postgres exists only once 01_roles.sql has run.
  await sql
    .unsafe(`
    do $$
    begin
      if (select nspowner from pg_catalog.pg_namespace where nspname = 'supabase_migrations') = current_user::text::regrole
         and exists (select from pg_catalog.pg_roles where rolname = 'postgres') then
        alter schema supabase_migrations owner to postgres;
      end if;
    end $$;
  `)
    .simple();
  if (pending.length > 0) {
    // Settings the files read with current_setting('basekit.jwt_secret'), made durable for later
    // sessions as the CLI's app.settings.* are.
    await sql.unsafe(
      `alter database ${quoteIdent(await currentDatabase(sql))} set app.settings.jwt_secret = ${quoteLiteral(settings.jwtSecret)}`,
    );
    await sql.unsafe(
      `alter database ${quoteIdent(await currentDatabase(sql))} set app.settings.jwt_exp = ${quoteLiteral(String(settings.jwtExpiry))}`,
    );
  }
  return pending;
}

async function currentDatabase(sql: Sql): Promise<string> {
  const [row] = await sql<{ name: string }[]>`select current_database() as name`;
  return row.name;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;
