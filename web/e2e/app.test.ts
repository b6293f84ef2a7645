// Browser end-to-end tests: the built web app in Chromium against the test stack.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot } from "./support/browser.ts";
import { waitForEmailLink } from "./support/inbox.ts";
import { type ServedApp, serveApp } from "./support/serve-app.ts";
import { createConfirmedUser, type E2eUser } from "./support/users.ts";

let app: ServedApp;
let browser: Browser;

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

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

async function signIn(page: Page, user: E2eUser) {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
}

test("a visitor signs up, confirms through the emailed link and lands on the dashboard", async () => {
  const page = await newPage();
  const email = `newcomer-${Date.now().toString(36)}@example.test`;
  await page.goto(`${app.url}/sign-up`);
  await screenshot(page, "sign-up");
  await page.getByLabel("Display name").fill("Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("Welcome-Aboard-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Check your inbox" }).waitFor();

  const link = await waitForEmailLink(email);
  await page.goto(link);
  await page
    .getByRole("heading", { name: "Welcome, Newcomer" })
    .waitFor()
    .catch(async (error) => {
      await screenshot(page, "failure-sign-up");
      throw new Error(`${(error as Error).message}\nended at ${page.url()}`);
    });
  assert.equal(new URL(page.url()).origin, app.url);
  await screenshot(page, "dashboard");
  await page.context().close();
});

test("a signed-out visitor is sent to the sign-in page", async () => {
  const page = await newPage();
  await page.goto(`${app.url}/settings`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await screenshot(page, "sign-in");
  await page.context().close();
});

test("two users chat live: typing, presence, messages both ways; a non-member is refused", async () => {
  const [alice, bob, carol] = await Promise.all([createConfirmedUser("Alice"), createConfirmedUser("Bob"), createConfirmedUser("Carol")]);
  const alicePage = await newPage();
  const bobPage = await newPage();
  await chatScenario(alice, bob, carol, alicePage, bobPage).catch(async (error) => {
    // Keep what each browser showed when it failed, next to the other screenshots.
    await screenshot(alicePage, "failure-alice").catch(() => {});
    await screenshot(bobPage, "failure-bob").catch(() => {});
    throw error;
  });
});

async function chatScenario(alice: E2eUser, bob: E2eUser, carol: E2eUser, alicePage: Page, bobPage: Page) {
  await signIn(alicePage, alice);
  await signIn(bobPage, bob);

  // Alice starts a direct conversation with Bob from the chat page.
  await alicePage.getByRole("link", { name: "Chat", exact: true }).click();
  await alicePage.getByRole("button", { name: "New message" }).click();
  await alicePage.getByLabel("Message someone").fill(bob.displayName);
  await alicePage.getByRole("button", { name: new RegExp(bob.displayName) }).click();
  await alicePage.getByTestId("room-title").filter({ hasText: bob.displayName }).waitFor();
  const roomUrl = alicePage.url();
  assert.match(roomUrl, /\/chat\/[0-9a-f-]{36}$/);

  // Bob opens the same room; each sees the other online.
  await bobPage.goto(roomUrl);
  await bobPage.getByTestId("room-title").filter({ hasText: alice.displayName }).waitFor();
  await bobPage.getByTestId("online-users").filter({ hasText: alice.displayName }).waitFor();
  await alicePage.getByTestId("online-users").filter({ hasText: bob.displayName }).waitFor();

  // Alice types: Bob sees it; Alice sends: Bob gets the message without reloading.
  await alicePage.getByLabel("Message", { exact: true }).pressSequentially("Hello Bob");
  await bobPage
    .getByTestId("typing-indicator")
    .filter({ hasText: `${alice.displayName} is typing` })
    .waitFor();
  await alicePage.getByLabel("Message", { exact: true }).press("Enter");
  await bobPage.getByTestId("message").filter({ hasText: "Hello Bob" }).waitFor();
  await bobPage.getByTestId("typing-indicator").filter({ hasText: /^$/ }).waitFor();

  await bobPage.getByLabel("Message", { exact: true }).fill("Hi Alice!");
  await bobPage.getByRole("button", { name: "Send" }).click();
  await alicePage.getByTestId("message").filter({ hasText: "Hi Alice!" }).waitFor();
  // Bob has read Alice's message: Alice sees the receipt.
  await alicePage.getByTestId("read-receipt").filter({ hasText: bob.displayName }).first().waitFor();
  await screenshot(alicePage, "chat");

  // Carol is not a member: the room is refused, not shown empty.
  const carolPage = await newPage();
  await signIn(carolPage, carol);
  await carolPage.goto(roomUrl);
  await carolPage.getByTestId("room-unavailable").waitFor();
  assert.equal(await carolPage.getByText("Hello Bob").count(), 0);

  await alicePage.getByRole("link", { name: "Settings", exact: true }).click();
  await alicePage.getByRole("heading", { name: "Sessions" }).waitFor();
  await alicePage.getByText("(this device)").waitFor();
  await screenshot(alicePage, "settings");
  await alicePage.getByRole("link", { name: "Profile", exact: true }).click();
  await alicePage.getByLabel("Display name").waitFor();
  await screenshot(alicePage, "profile");

  for (const page of [alicePage, bobPage, carolPage]) await page.context().close();
}
