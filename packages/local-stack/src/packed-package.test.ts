// The published package as a Supabase user gets it: `npm pack` (which builds dist/), then the
// README's "Supabase users without Docker" commands, line by line, in a folder made by the real
// `supabase init`, with a sign-up through the unmodified supabase-js while the stack runs.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import ws from "ws";
import { freePort } from "./testing/fixture-stack.ts";

const packageDir = join(import.meta.dirname, "..");
const repoRoot = join(packageDir, "..", "..");
const supabaseCli = join(repoRoot, "node_modules", ".bin", "supabase");

/** The shell lines of the README section, in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = /## Supabase users without Docker\n[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
  assert.ok(section, 'README.md has a "Supabase users without Docker" section with a sh block');
  return section[1]
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter(Boolean);
}

const folder = mkdtempSync(join(tmpdir(), "basekit-packed-"));
// Postgres, run as an unprivileged user under root, must reach the project.
chmodSync(folder, 0o755);
const project = join(folder, "my-app");
mkdirSync(project);
let env: NodeJS.ProcessEnv = {};

function sh(line: string): string {
  const result = spawnSync("sh", ["-c", line], { cwd: project, env, encoding: "utf8", timeout: 240_000 });
  assert.equal(result.status, 0, `\`${line}\` failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

after(() => {
  if (existsSync(join(project, "node_modules", ".bin", "basekit"))) spawnSync("sh", ["-c", "npx basekit stop"], { cwd: project, env });
  rmSync(folder, { recursive: true, force: true });
});

test("the packed package, installed into a `supabase init` project, runs the README's commands: start, sign-up, status, db reset, test db, gen types, stop", async () => {
  const pack = spawnSync("npm", ["pack", "--pack-destination", folder], { cwd: packageDir, encoding: "utf8" });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = join(folder, readdirSync(folder).find((file) => file.endsWith(".tgz")) ?? "");
  const listing = spawnSync("tar", ["-tzf", tarball], { encoding: "utf8" }).stdout;
  assert.match(listing, /package\/dist\/cli\/main\.js/);
  assert.match(listing, /package\/dist\/index\.d\.ts/);
  assert.match(listing, /package\/dist\/db\/bootstrap\/01_roles\.sql/);
  assert.match(listing, /package\/dist\/functions\/worker-bootstrap\.ts/);
  assert.doesNotMatch(listing, /package\/src\/|\.test\.(js|ts)/);

  const ports = { api: await freePort(), db: await freePort(), mail: await freePort() };
  env = { ...process.env, BASEKIT_API_PORT: String(ports.api), BASEKIT_DB_PORT: String(ports.db), BASEKIT_MAIL_PORT: String(ports.mail) };
  // The test runner's own stack settings must not leak into this project.
  for (const name of ["BASEKIT_STATE_DIR", "SUPABASE_WORKDIR", "DATABASE_URL", "BASEKIT_TRUSTED_PROXIES"]) delete env[name];

  for (const line of readmeCommands()) {
    // The Supabase CLI this repository pins, and the tarball instead of the registry's package.
    const command = line.replace(/^npx supabase /, `${supabaseCli} `).replace(/@basekit\/local-stack\b/, tarball);
    if (line.startsWith("npx basekit db reset")) {
      // A project of one table, and a pgTAP test of it, for reset, test db and gen types to work on.
      writeFileSync(
        join(project, "supabase", "migrations", "20260101000000_notes.sql"),
        "create table public.notes (id bigint generated always as identity primary key, body text not null);\nalter table public.notes enable row level security;\n",
      );
      mkdirSync(join(project, "supabase", "tests"), { recursive: true });
      writeFileSync(
        join(project, "supabase", "tests", "notes.test.sql"),
        "begin;\nselect plan(2);\nselect has_table('public', 'notes', 'notes exists');\nselect policies_are('public', 'notes', '{}', 'no policy: RLS denies everyone');\nselect * from finish();\nrollback;\n",
      );
    }
    const output = sh(command);
    if (line.startsWith("npx supabase init")) mkdirSync(join(project, "supabase", "migrations"), { recursive: true });
    if (line.startsWith("npx basekit start")) {
      assert.match(output, new RegExp(`API URL: http://127\\.0\\.0\\.1:${ports.api}`));
      // The installed command runs the built JavaScript: no TypeScript sources, no tsx.
      assert.ok(!existsSync(join(project, "node_modules", "@basekit", "local-stack", "src")));
      assert.ok(!existsSync(join(project, "node_modules", "tsx")));
      const status = JSON.parse(sh("npx basekit status -o json")) as Record<string, string>;
      const supabase = createClient(status.API_URL, status.ANON_KEY, {
        auth: { persistSession: false },
        realtime: { transport: ws as never },
      });
      const email = `packed-${Date.now()}@example.com`;
      const { data, error } = await supabase.auth.signUp({ email, password: "Password123!" });
      assert.equal(error, null);
      assert.equal(data.user?.email, email);
      const admin = createClient(status.API_URL, status.SERVICE_ROLE_KEY, {
        auth: { persistSession: false },
        realtime: { transport: ws as never },
      });
      const found = await admin.auth.admin.getUserById(data.user?.id ?? "");
      assert.equal(found.data.user?.email, email);
    }
    if (line.startsWith("npx basekit status")) assert.match(output, /anon key: ey/);
    if (line.startsWith("npx basekit db reset")) assert.match(output, /Applying migration 20260101000000_notes\.sql/);
    if (line.startsWith("npx basekit test db")) assert.match(output, /pgtap: 2 passed, 0 failed/);
    if (line.startsWith("npx basekit gen types"))
      assert.match(readFileSync(join(project, "database.types.ts"), "utf8"), /notes: \{\s+Row: \{/);
    if (line.startsWith("npx basekit stop")) assert.match(output, /Stopped basekit local stack/);
  }
  assert.match(sh("npx basekit status || true"), /^$/);
});
