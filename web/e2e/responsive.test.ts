// The app on a phone-sized screen (390x844): nothing wider than the screen, and screenshots of the
// dashboard and a chat room to look at.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { screenshot } from "./support/browser.ts";
import { openDirectRoom, sendMessage } from "./support/rooms.ts";
import { serveAppForTests, signIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser } from "./support/users.ts";

const app = serveAppForTests();

/** Elements that stick out past the right edge of the viewport (a sideways-scrolling page). */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`)
      .slice(0, 10);
  });

test("on a 390x844 screen the dashboard and a chat room fit the width", async () => {
  const [user, friend] = await Promise.all([createConfirmedUser("Mobile"), createConfirmedUser("Pocket")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "mobile",
    () => pages,
    async () => {
      const page = await app.newPage({ width: 390, height: 844 });
      pages.push(page);
      await signIn(page, app.url, user);
      await page.getByRole("heading", { name: "Recent activity" }).waitFor();
      await screenshot(page, "mobile-dashboard");
      assert.deepEqual(await overflowing(page), [], "dashboard elements wider than the screen");

      await openDirectRoom(page, friend);
      await sendMessage(page, "Hello from a phone-sized screen, with a fairly long message to see how it wraps");
      await screenshot(page, "mobile-chat");
      assert.deepEqual(await overflowing(page), [], "chat elements wider than the screen");
    },
  );
});
