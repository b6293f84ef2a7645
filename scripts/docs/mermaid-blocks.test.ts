// Every ```mermaid block in the docs and the README parses with Mermaid's own parser, so no diagram
// renders as an error on GitHub. mermaid.parse() sanitizes labels with DOMPurify, which needs a
// DOM: it runs in the project's headless Chromium (web/e2e/support), on the mermaid package's bundle.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../../web/e2e/support/browser.ts";

const root = join(import.meta.dirname, "..", "..");

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? markdownFiles(path) : entry.endsWith(".md") ? [path] : [];
  });
}

export function mermaidBlocks(markdown: string): { line: number; source: string }[] {
  const blocks: { line: number; source: string }[] = [];
  const fence = /^```mermaid\n([\s\S]*?)^```$/gm;
  for (let match = fence.exec(markdown); match; match = fence.exec(markdown)) {
    blocks.push({ line: markdown.slice(0, match.index).split("\n").length, source: match[1] });
  }
  return blocks;
}

const files = [join(root, "README.md"), ...markdownFiles(join(root, "docs"))];
let browser: Browser;
let page: Page;

before(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("mermaid/dist/mermaid.min.js") });
});

after(async () => {
  await browser?.close();
});

/** Mermaid's parse error for `source`, or null when it parses. */
function parseError(source: string): Promise<string | null> {
  return page.evaluate(async (text) => {
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the bundle's global, typed by nothing here
      await (globalThis as any).mermaid.parse(text);
      return null;
    } catch (error) {
      return String((error as Error).message ?? error);
    }
  }, source);
}

test("every Mermaid block in README.md and docs/ parses", async () => {
  const failures: string[] = [];
  let parsed = 0;
  for (const file of files) {
    for (const block of mermaidBlocks(readFileSync(file, "utf8"))) {
      const error = await parseError(block.source);
      if (error) failures.push(`${relative(root, file)}:${block.line}: ${error.split("\n").slice(0, 3).join(" ")}`);
      else parsed++;
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(parsed >= 10, `parsed ${parsed} diagrams`);
});

test("the check rejects a broken diagram", async () => {
  const [block] = mermaidBlocks("text\n```mermaid\nsequenceDiagram\n  Browser->>+: no target\n```\n");
  assert.equal(block.line, 2);
  assert.match((await parseError(block.source)) ?? "", /Parse error/);
  assert.equal(await parseError('flowchart LR\n  a["label with (parens)"] --> b'), null);
});
