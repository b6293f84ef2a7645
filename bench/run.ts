// `npm run bench`: runs every bench/*.bench.ts (or those named) and prints their figures. Each
// bench reports ratios against a baseline it measures in the same run, never absolute targets.
import { readdirSync } from "node:fs";
import { join } from "node:path";

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((file) => file.endsWith(".bench.ts"))
  .filter((file) => wanted.length === 0 || wanted.some((name) => file.includes(name)))
  .sort();

for (const file of files) {
  console.log(`\n### ${file.replace(".bench.ts", "")}`);
  const bench = (await import(join(dir, file))) as { run: () => Promise<void> };
  await bench.run();
}
