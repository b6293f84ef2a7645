// Builds what the published package runs: JavaScript and type declarations in dist/, and beside
// them the files the code reads at run time (bootstrap SQL, extension files, the worker bootstrap
// that Deno runs as TypeScript), so dist/ works on its own without tsx or the sources.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
const dist = join(root, "dist");

/** Folders of test helpers, which the build leaves out (tsconfig.build.json excludes them too). */
const TEST_ONLY = new Set(["test-fixture", "testing"]);
/** TypeScript that Deno, not Node, runs: copied as is. */
const DENO_SOURCES = new Set([join("functions", "worker-bootstrap.ts")]);

/** Files read at run time, relative to src/ (and so to dist/): every file that is not Node's TypeScript. */
function runtimeFiles(dir = ""): string[] {
  return readdirSync(join(src, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return TEST_ONLY.has(entry.name) ? [] : runtimeFiles(path);
    return !entry.name.endsWith(".ts") || DENO_SOURCES.has(path) ? [path] : [];
  });
}

rmSync(dist, { recursive: true, force: true });
const typescript = createRequire(import.meta.url).resolve("typescript/package.json");
const tsc = join(dirname(typescript), "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (result.status !== 0) {
  console.error("build failed: tsc reported errors (see above)");
  process.exit(1);
}
const copied = runtimeFiles();
for (const file of copied) cpSync(join(src, file), join(dist, file));
console.log(`built ${dist} (${copied.length} runtime files copied)`);
