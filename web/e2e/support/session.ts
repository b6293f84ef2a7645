// One browser and the served app for a test file, fresh pages (each its own context, so its own
// storage) and signing in through the UI.
import assert from "node:assert/strict";
import { after, before } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot } from "./browser.ts";
import { type ServedApp, serveApp } from "./serve-app.ts";
import type { E2eUser } from "./users.ts";

export interface E2eHarness {
  readonly url: string;
  readonly browser: Browser;
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
}

/** Registers before/after hooks that build and serve the app and launch Chromium once per file. */
export function serveAppForTests(): E2eHarness {
  let app: ServedApp | undefined;
  let browser: Browser | undefined;
  before(async () => {
    const url = process.env.SUPABASE_URL;
    const anonKey = process.env.SUPABASE_ANON_KEY;
    assert.ok(url && anonKey, "SUPABASE_URL and SUPABASE_ANON_KEY are set by npm test");
    app = await serveApp(url, anonKey);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  return {
    get url() {
      assert.ok(app, "the app is served in before()");
      return app.url;
    },
    get browser() {
      assert.ok(browser, "the browser is launched in before()");
      return browser;
    },
    async newPage(viewport = { width: 1280, height: 800 }) {
      assert.ok(browser, "the browser is launched in before()");
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
  };
}

/** Fills the sign-in form; does not wait for where it leads (the dashboard, or the MFA step). */
export async function submitSignIn(page: Page, appUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${appUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in and waits for the dashboard's greeting. */
export async function signIn(page: Page, appUrl: string, user: E2eUser): Promise<void> {
  await submitSignIn(page, appUrl, user.email, user.password);
  await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
}

/** Runs `scenario`; on failure keeps a screenshot of each page (named `failure-<name>-<i>`) and the URL. */
export async function withFailureScreenshots(name: string, pages: () => Page[], scenario: () => Promise<void>): Promise<void> {
  try {
    await scenario();
  } catch (error) {
    const open = pages();
    for (const [i, page] of open.entries()) await screenshot(page, `failure-${name}-${i}`).catch(() => {});
    const where = open.map((page) => page.url()).join(", ");
    throw new Error(`${(error as Error).message}\n(pages were at ${where})`);
  } finally {
    for (const page of pages())
      await page
        .context()
        .close()
        .catch(() => {});
  }
}
