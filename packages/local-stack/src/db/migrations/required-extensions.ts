// Before any migration runs, finds the `create extension` statements of the pending files and
// checks the server can provide each one. A project needing one it cannot (pgvector on the
// embedded server, say) gets one message naming every such extension with its file and line and
// the ways out, instead of a half-applied migration set stopping at the first.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Sql } from "../connect.ts";
import { MigrationError, type MigrationFile } from "./apply-migrations.ts";
import { lineOf, splitStatements } from "./split-statements.ts";

export interface ExtensionUse {
  extension: string;
  path: string;
  line: number;
}

const CREATE_EXTENSION = /^create\s+extension\s+(?:if\s+not\s+exists\s+)?(?:"((?:[^"]|"")+)"|([A-Za-z_][\w$-]*))/i;

/** Strips the comments a statement starts with (the splitter keeps them, as the CLI does). */
function leadingCommentsLength(statement: string): number {
  const match = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/.exec(statement);
  return match ? match[0].length : 0;
}

/** Every top-level `create extension` in `text`, with its 1-based line. */
export function findExtensionUses(text: string, path: string): ExtensionUse[] {
  const uses: ExtensionUse[] = [];
  let cursor = 0;
  for (const statement of splitStatements(text)) {
    const at = text.indexOf(statement, cursor);
    if (at === -1) continue;
    cursor = at + statement.length;
    const skip = leadingCommentsLength(statement);
    const match = CREATE_EXTENSION.exec(statement.slice(skip));
    if (!match) continue;
    const extension = match[1] !== undefined ? match[1].replace(/""/g, '"') : match[2].toLowerCase();
    uses.push({ extension, path, line: lineOf(text, at + skip + 1) });
  }
  return uses;
}

/** Debian/Ubuntu packages that add an extension to PostgreSQL 15 (`[db] major_version = 15`). */
const debianPackages: Record<string, string> = {
  vector: "postgresql-15-pgvector",
  postgis: "postgresql-15-postgis-3",
  pg_cron: "postgresql-15-cron",
  plpgsql_check: "postgresql-15-plpgsql-check",
  pgaudit: "postgresql-15-pgaudit",
  hypopg: "postgresql-15-hypopg",
  http: "postgresql-15-http",
  pg_repack: "postgresql-15-repack",
  pgrouting: "postgresql-15-pgrouting",
  rum: "postgresql-15-rum",
  pg_partman: "postgresql-15-partman",
  pg_hint_plan: "postgresql-15-pg-hint-plan",
};

export function missingExtensionsMessage(missing: ExtensionUse[], projectRoot: string, server: string): string {
  const width = Math.max(...missing.map((use) => use.extension.length));
  const lines = missing.map((use) => `  ${use.extension.padEnd(width)}  ${relative(projectRoot, use.path)}:${use.line}`);
  const packages = [...new Set(missing.map((use) => debianPackages[use.extension]).filter(Boolean))];
  return [
    `The migrations need PostgreSQL extensions that ${server} cannot provide; no migration was applied:`,
    ...lines,
    "Ways out:",
    "  - run basekit against a PostgreSQL that has them: `basekit start --db-url postgresql://...` (a superuser URL; Supabase's own image supabase/postgres has them all)",
    packages.length > 0
      ? `  - or set [db] major_version = 15 in supabase/config.toml and install them for this machine's PostgreSQL 15 (Debian/Ubuntu: \`sudo apt-get install ${packages.join(" ")}\`)`
      : "  - or set [db] major_version = 15 to use this machine's PostgreSQL 15, if its packages provide them",
    "  - or drop the extension from the migration where the project can live without it.",
    "docs/compatibility.md lists what basekit provides, emulates and lacks.",
  ].join("\n");
}

/** Throws a MigrationError naming every extension `pending` creates that the server lacks. */
export async function assertExtensionsAvailable(sql: Sql, pending: MigrationFile[], projectRoot: string, server: string): Promise<void> {
  const uses = pending.flatMap((file) => findExtensionUses(readFileSync(file.path, "utf8"), file.path));
  if (uses.length === 0) return;
  const rows = await sql<{ name: string }[]>`select name from pg_catalog.pg_available_extensions`;
  const available = new Set(rows.map((row) => row.name));
  const missing = uses.filter((use) => !available.has(use.extension));
  if (missing.length === 0) return;
  throw new MigrationError(missingExtensionsMessage(missing, projectRoot, server), missing[0].path, missing[0].line);
}
