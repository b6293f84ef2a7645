// Accessibility in a real browser: axe-core finds no serious or critical violation on the main
// pages, and signing in and sending a message work with the keyboard alone.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { assertNoSeriousViolations } from "./support/axe.ts";
import { openDirectRoom, sendMessage } from "./support/rooms.ts";
import { serveAppForTests, signIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser } from "./support/users.ts";

const app = serveAppForTests();

const isFocused = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((element) => element === document.activeElement);

/** Presses Tab until the element labelled `label` has focus; fails after `limit` presses. */
async function tabTo(page: Page, label: string, limit: number) {
  for (let presses = 0; presses < limit; presses++) {
    if (await isFocused(page, label)) return;
    await page.keyboard.press("Tab");
  }
  assert.ok(await isFocused(page, label), `Tab never reached "${label}"`);
}

test("the sign-in page has no serious accessibility violations and signs in with the keyboard alone", async () => {
  const user = await createConfirmedUser("Keys");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "a11y-sign-in",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await page.goto(`${app.url}/sign-in`);
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await assertNoSeriousViolations(page, "sign-in");

      // The email field is the first stop; Tab moves to the password; Enter submits.
      await page.keyboard.press("Tab");
      assert.ok(await isFocused(page, "Email"), "the first Tab lands on the email field");
      await page.keyboard.type(user.email);
      await page.keyboard.press("Tab");
      assert.ok(await isFocused(page, "Password"), "the next Tab lands on the password field");
      await page.keyboard.type(user.password);
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
    },
  );
});

test("dashboard, chat room, settings and profile have no serious accessibility violations; the composer works from the keyboard", async () => {
  const [user, friend] = await Promise.all([createConfirmedUser("Reader"), createConfirmedUser("Friend")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "a11y-pages",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, user);
      await page.getByRole("heading", { name: "Recent activity" }).waitFor();
      await assertNoSeriousViolations(page, "dashboard");

      await openDirectRoom(page, friend);
      await sendMessage(page, "A message so the room is not empty");
      await assertNoSeriousViolations(page, "chat room");

      // Keyboard only: from the room's search field, Tab reaches the composer; Enter sends.
      await page.getByLabel("Search this conversation").focus();
      await tabTo(page, "Message", 40);
      await page.keyboard.type("Typed without a mouse");
      await page.keyboard.press("Enter");
      await page.getByTestId("message").filter({ hasText: "Typed without a mouse" }).and(page.locator('[data-status="sent"]')).waitFor();
      // Tab from the composer reaches Send, and Enter on it sends too.
      await page.keyboard.type("Sent with the Send button");
      await page.keyboard.press("Tab");
      assert.ok(await page.getByRole("button", { name: "Send" }).evaluate((element) => element === document.activeElement));
      await page.keyboard.press("Enter");
      await page
        .getByTestId("message")
        .filter({ hasText: "Sent with the Send button" })
        .and(page.locator('[data-status="sent"]'))
        .waitFor();

      await page.getByRole("link", { name: "Settings", exact: true }).click();
      await page.getByRole("region", { name: "Sessions" }).getByText("(this device)").waitFor();
      await assertNoSeriousViolations(page, "settings");

      await page.getByRole("link", { name: "Profile", exact: true }).click();
      await page.getByLabel("Display name").waitFor();
      await assertNoSeriousViolations(page, "profile");
    },
  );
});
