#!/usr/bin/env node
// The `basekit` command. The published package runs the JavaScript built into dist/; inside the
// basekit repository (where src/ sits beside this file) it runs the TypeScript sources through
// tsx, so tests and `npm start` always run the code as it is now, never a stale build.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19) || (major === 22 && minor < 12) || major === 21) {
  console.error(`basekit needs Node.js 22.12 or later (or 20.19+); this is ${process.version}.`);
  process.exit(1);
}

if (major === 20 && process.argv[2] === "start")
  console.error(
    `Note: Node.js 20 is past its end of life; basekit runs on it but is made for Node 22.12+ and 24 (this is ${process.version}).`,
  );

const sources = new URL("../src/cli/main.ts", import.meta.url);
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  await import(sources.href);
} else {
  await import("../dist/cli/main.js");
}
