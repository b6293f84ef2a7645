// A project as a user brings it: made by the real `supabase init`, with teams, invitations, RLS
// through helper functions, storage policies and a custom email template. It goes through
// `basekit start`, `basekit test db`, and the real CLI's `migration list`, `gen types` and
// `inspect db`, and the CLI and basekit must agree on what they see.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createClient } from "@supabase/supabase-js";
import ws from "ws";
import { type CliProject, cliProject } from "./cli-test-kit.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const supabaseCli = join(repoRoot, "node_modules", ".bin", "supabase");

const OWNER = "11111111-1111-4111-8111-111111111111";
const STRANGER = "22222222-2222-4222-8222-222222222222";
const TEAM = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";

const teamsMigration = `-- Teams, their members and invitations; who may do what is decided by RLS through private helpers.
create schema if not exists private;
grant usage on schema private to authenticated;

create table public.teams (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 80),
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now()
);
create table public.team_members (
  team_id uuid not null references public.teams (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'member' check (role in ('owner', 'member')),
  primary key (team_id, user_id)
);
create index team_members_user_id_idx on public.team_members (user_id);
create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id) on delete cascade,
  email text not null,
  invited_by uuid not null default auth.uid() references auth.users (id),
  token text not null unique default encode(extensions.gen_random_bytes(16), 'hex'),
  created_at timestamptz not null default now()
);
create index invitations_team_id_idx on public.invitations (team_id);

create function private.is_team_member(team uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.team_members m where m.team_id = team and m.user_id = (select auth.uid()))
$$;
create function private.is_team_owner(team uuid) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.team_members m where m.team_id = team and m.user_id = (select auth.uid()) and m.role = 'owner')
$$;
create function private.add_creator_as_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.team_members (team_id, user_id, role) values (new.id, new.created_by, 'owner');
  return new;
end;
$$;
revoke all on function private.is_team_member(uuid), private.is_team_owner(uuid), private.add_creator_as_owner() from public;
grant execute on function private.is_team_member(uuid), private.is_team_owner(uuid) to authenticated;
create trigger teams_add_owner after insert on public.teams for each row execute function private.add_creator_as_owner();

alter table public.teams enable row level security;
alter table public.team_members enable row level security;
alter table public.invitations enable row level security;
create policy "members read their teams" on public.teams for select to authenticated using (private.is_team_member(id));
create policy "users create teams" on public.teams for insert to authenticated with check (created_by = (select auth.uid()));
create policy "members read team members" on public.team_members for select to authenticated using (private.is_team_member(team_id));
create policy "owners invite" on public.invitations for insert to authenticated with check (private.is_team_owner(team_id));
create policy "owners read invitations" on public.invitations for select to authenticated using (private.is_team_owner(team_id));
`;

const storageMigration = `-- Each team's files live under <team id>/ in a private bucket.
insert into storage.buckets (id, name, public) values ('team-files', 'team-files', false);
create policy "members read team files" on storage.objects for select to authenticated
  using (bucket_id = 'team-files' and private.is_team_member(((storage.foldername(name))[1])::uuid));
create policy "members upload team files" on storage.objects for insert to authenticated
  with check (bucket_id = 'team-files' and private.is_team_member(((storage.foldername(name))[1])::uuid));
`;

// Two-column rows (`select ok(...), 'why'`), as such projects write them.
const teamsTests = `begin;
select plan(7);
insert into auth.users (id, email, aud, role) values
  ('${OWNER}', 'owner@example.com', 'authenticated', 'authenticated'),
  ('${STRANGER}', 'stranger@example.com', 'authenticated', 'authenticated');
set local role authenticated;
select set_config('request.jwt.claims', '{"sub":"${OWNER}","role":"authenticated"}', true);
insert into public.teams (id, name) values ('${TEAM}', 'Acme');
select is((select count(*)::int from public.teams), 1, 'the owner sees the team'), 'owner';
select is((select role from public.team_members where user_id = '${OWNER}'), 'owner', 'the creator is its owner'), 'trigger';
select lives_ok($$ insert into public.invitations (team_id, email) values ('${TEAM}', 'new@example.com') $$, 'the owner invites'), 'invite';
select lives_ok($$ insert into storage.objects (bucket_id, name) values ('team-files', '${TEAM}/plan.txt') $$, 'members upload to their team folder'), 'upload';
select set_config('request.jwt.claims', '{"sub":"${STRANGER}","role":"authenticated"}', true);
select is((select count(*)::int from public.teams), 0, 'a stranger sees no team'), 'stranger';
select throws_ok($$ insert into public.invitations (team_id, email) values ('${TEAM}', 'x@example.com') $$, '42501', null, 'a stranger cannot invite'), 'denied';
select is((select count(*)::int from storage.objects where bucket_id = 'team-files'), 0, 'a stranger sees no team file'), 'files';
select * from finish();
rollback;
`;

let project: CliProject;
let dbUrl: string;
let status: Record<string, string>;

function supabase(...args: string[]) {
  const result = spawnSync(supabaseCli, args, {
    cwd: project.workdir,
    encoding: "utf8",
    timeout: 180_000,
    env: { ...process.env, DO_NOT_TRACK: "1" },
  });
  return { status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

before(async () => {
  project = await cliProject({});
  const init = supabase("init");
  assert.equal(init.status, 0, init.stderr);
  const configPath = join(project.workdir, "supabase", "config.toml");
  const config = readFileSync(configPath, "utf8").replace("enable_confirmations = false", "enable_confirmations = true");
  writeFileSync(
    configPath,
    `${config}\n[auth.email.template.confirmation]\nsubject = "Confirm your Teamwork account"\ncontent_path = "./supabase/templates/confirm.html"\n`,
  );
  const files: Record<string, string> = {
    "supabase/migrations/20240101000000_teams.sql": teamsMigration,
    "supabase/migrations/20240101000100_team_storage.sql": storageMigration,
    "supabase/tests/teams.test.sql": teamsTests,
    "supabase/templates/confirm.html": '<h2>Welcome to Teamwork</h2>\n<p><a href="{{ .ConfirmationURL }}">Confirm your address</a></p>\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(project.workdir, path)), { recursive: true });
    writeFileSync(join(project.workdir, path), text);
  }
  const started = project.basekit("start", "--detach");
  assert.equal(started.status, 0, started.stdout + started.stderr);
  status = JSON.parse(project.basekit("status", "-o", "json").stdout) as Record<string, string>;
  dbUrl = status.DB_URL;
});

after(() => project?.dispose());

test("start names once each feature the init config enables that basekit does not serve", () => {
  const log = readFileSync(join(project.workdir, ".basekit", "stack.log"), "utf8");
  for (const feature of ["[studio] enabled = true", "[analytics] enabled = true", "[storage.s3_protocol] enabled = true"]) {
    assert.equal(log.split(feature).length - 1, 1, `${feature} named once`);
  }
  assert.match(log, /Database server: postgres \(PostgreSQL\) 17/);
});

test("sign-up mail uses the custom template found from the project root", async () => {
  const client = createClient(status.API_URL, status.ANON_KEY, { realtime: { transport: ws as never }, auth: { persistSession: false } });
  const email = `teamwork-${Date.now()}@example.com`;
  const { error } = await client.auth.signUp({ email, password: "Correct-Horse-9" });
  assert.equal(error, null);
  let message: { subject: string; html: string } | undefined;
  for (let attempt = 0; attempt < 50 && !message; attempt++) {
    const response = await fetch(`${status.MAILPIT_URL}/api/messages?to=${encodeURIComponent(email)}`);
    message = ((await response.json()) as { messages: { subject: string; html: string }[] }).messages[0];
    if (!message) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(message, "a confirmation mail arrived");
  assert.equal(message.subject, "Confirm your Teamwork account");
  assert.match(message.html, /Welcome to Teamwork/);
  assert.match(message.html, /href="[^"]*\/auth\/v1\/verify\?/);
});

test("basekit test db runs the project's pgTAP file, two-column rows counted", () => {
  const run = project.basekit("test", "db");
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /pgtap: 7 passed, 0 failed/);
});

test("the real CLI's migration list sees both migrations applied", () => {
  const list = supabase("migration", "list", "--db-url", dbUrl);
  assert.equal(list.status, 0, list.stderr);
  for (const version of ["20240101000000", "20240101000100"]) {
    const row = list.stdout.split("\n").find((line) => line.includes(version));
    assert.ok(row, `${version} listed`);
    assert.equal(row.split(version).length - 1, 2, `${version} applied on both sides: ${row}`);
  }
});

/** Schema -> table -> Row columns, from either generator's output (formatting aside). */
function tablesIn(types: string): Record<string, Record<string, string>> {
  const flat = types.replace(/["\s,]/g, "");
  const out: Record<string, Record<string, string>> = {};
  const schemas = [...flat.matchAll(/(\w+):\{Tables:\{/g)];
  schemas.forEach((schema, i) => {
    const end = i + 1 < schemas.length ? schemas[i + 1].index : flat.length;
    const body = flat.slice(schema.index, end);
    const viewsAt = body.indexOf("Views:{");
    const tables = viewsAt === -1 ? body : body.slice(0, viewsAt);
    out[schema[1]] = Object.fromEntries([...tables.matchAll(/(\w+):\{Row:\{([^}]*)\}/g)].map((m) => [m[1], m[2]]));
  });
  return out;
}

test("the real CLI's gen types and basekit gen types describe the same schemas, tables and columns", () => {
  const cli = supabase("gen", "types", "typescript", "--db-url", dbUrl);
  assert.equal(cli.status, 0, cli.stderr);
  const ours = project.basekit("gen", "types");
  assert.equal(ours.status, 0, ours.stderr);
  const cliTables = tablesIn(cli.stdout);
  const ourTables = tablesIn(ours.stdout);
  assert.deepEqual(Object.keys(ourTables).sort(), ["graphql_public", "public"]);
  assert.deepEqual(Object.keys(ourTables.public).sort(), ["invitations", "team_members", "teams"]);
  assert.deepEqual(ourTables, cliTables);
});

test("supabase inspect shows the project's tables and none of basekit's bookkeeping; outliers has pg_stat_statements", () => {
  const tables = supabase("inspect", "db", "table-stats", "--db-url", dbUrl);
  assert.equal(tables.status, 0, tables.stderr);
  assert.match(tables.stdout, /public\.teams/);
  assert.doesNotMatch(tables.stdout, /_basekit|basekit_bootstrap/);
  const outliers = supabase("inspect", "db", "outliers", "--db-url", dbUrl);
  assert.equal(outliers.status, 0, outliers.stderr);
});
