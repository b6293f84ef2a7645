// Builds what the published package runs: JavaScript and type declarations in dist/, and beside
// them the files the code reads at run time (the bootstrap SQL, the Deno worker's bootstrap that
// Deno runs as TypeScript), so dist/ works on its own without tsx or the sources.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const root = join(import.meta.dirname, "..");
const src = join(root, "src");
const dist = join(root, "dist");

/** Files read at run time, relative to src/ (and so to dist/). */
const runtimeAssets = [
  ...readdirSync(join(src, "db", "bootstrap"))
    .filter((file) => file.endsWith(".sql"))
    .map((file) => join("db", "bootstrap", file)),
  join("functions", "worker-bootstrap.ts"),
];

rmSync(dist, { recursive: true, force: true });
const typescript = createRequire(import.meta.url).resolve("typescript/package.json");
const tsc = join(dirname(typescript), "bin", "tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (result.status !== 0) {
  console.error("build failed: tsc reported errors (see above)");
  process.exit(1);
}
for (const asset of runtimeAssets) cpSync(join(src, asset), join(dist, asset));
console.log(`built ${dist} (${runtimeAssets.length} runtime files copied)`);
