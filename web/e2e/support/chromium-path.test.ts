import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { chromium } from "playwright-core";
import { ChromiumMissingError, findChromium, findSystemChromium, SYSTEM_CHROMIUM_PATHS } from "./chromium-path.ts";

test("with the system Chromium hidden, the browser tests get the npm package's Chromium, which renders a page", async () => {
  const path = await findChromium({ BASEKIT_IGNORE_SYSTEM: "chromium" }, () => {});
  assert.ok(!SYSTEM_CHROMIUM_PATHS.includes(path), `expected the npm Chromium, got ${path}`);
  assert.match(path, /node_modules\/\.cache\/basekit\/chromium-[\d.]+\/chromium$/);
  // Found again without unpacking: the same file.
  assert.equal(await findChromium({ BASEKIT_IGNORE_SYSTEM: "chromium" }, () => assert.fail("unpacked twice")), path);
  const browser = await chromium.launch({ executablePath: path, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage();
    await page.setContent("<label>Email <input id=email></label>");
    await page.getByLabel("Email").fill("fresh@example.com");
    assert.equal(await page.locator("#email").inputValue(), "fresh@example.com");
  } finally {
    await browser.close();
  }
});

test("a system Chromium, when present, is preferred to the npm one", () => {
  const fake = join(mkdtempSync(join(tmpdir(), "basekit-chromium-")), "chromium");
  writeFileSync(fake, "");
  assert.equal(findSystemChromium({}, ["/nonexistent/chromium", fake]), fake);
  assert.equal(findSystemChromium({ BASEKIT_IGNORE_SYSTEM: "pgtap,chromium" }, [fake]), undefined);
});

test("BASEKIT_CHROMIUM_PATH naming a missing file is an error that names it", async () => {
  await assert.rejects(
    findChromium({ BASEKIT_CHROMIUM_PATH: "/nonexistent/chrome" }),
    (error: Error) => error instanceof ChromiumMissingError && error.message.includes("/nonexistent/chrome"),
  );
});
