// Browser end-to-end tests of the settings page: password change, two-step verification with an
// authenticator app, revoking another session, and the activity history of these.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { serveAppForTests, signIn, submitSignIn, withFailureScreenshots } from "./support/session.ts";
import { freshTotpCode } from "./support/totp.ts";
import { createConfirmedUser } from "./support/users.ts";

const app = serveAppForTests();

async function openSettings(page: Page) {
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
}

test("a changed password is the one that signs in, and the change shows in the activity history", async () => {
  const user = await createConfirmedUser("Changer");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "change-password",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, user);
      await openSettings(page);
      const newPassword = "Changed-Secret-42";
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByText("Password changed.").waitFor();
      await page.getByRole("region", { name: "Activity history" }).getByText("Password changed").waitFor();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await submitSignIn(page, app.url, user.email, user.password);
      await page
        .getByRole("alert")
        .filter({ hasText: /invalid/i })
        .waitFor();
      await signIn(page, app.url, { ...user, password: newPassword });
    },
  );
});

test("after enrolling an authenticator app, signing in needs its code before the app opens", async () => {
  const user = await createConfirmedUser("Guarded");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "mfa",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, user);
      await openSettings(page);
      const mfa = page.getByRole("region", { name: "Two-step verification" });
      await mfa.getByRole("button", { name: "Set up an authenticator app" }).click();
      const secret = (await mfa.locator("code").textContent())?.trim() ?? "";
      assert.match(secret, /^[A-Z2-7]+=*$/, "the page shows the base32 secret");
      await mfa.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();

      // A wrong code is refused; the right one turns two-step verification on.
      const code = await freshTotpCode(secret);
      await mfa.getByLabel("6-digit code").fill(code === "000000" ? "111111" : "000000");
      await mfa.getByRole("button", { name: "Confirm" }).click();
      await mfa.getByRole("alert").waitFor();
      await mfa.getByLabel("6-digit code").fill(await freshTotpCode(secret));
      await mfa.getByRole("button", { name: "Confirm" }).click();
      await mfa.getByText("Two-step verification is on.").waitFor();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await submitSignIn(page, app.url, user.email, user.password);
      await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
      // The password alone does not open the app: going straight to it leads back to the code.
      await page.goto(`${app.url}/settings`);
      await page.getByRole("heading", { name: "Two-step verification" }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/mfa");

      await page.getByLabel("Code from your authenticator app").fill(await freshTotpCode(secret));
      await page.getByRole("button", { name: "Verify" }).click();
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
      await page.reload();
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
    },
  );
});

test("signing out another session from the sessions list signs that browser out", async () => {
  const user = await createConfirmedUser("Traveller");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "sessions",
    () => pages,
    async () => {
      const laptop = await app.newPage();
      const phone = await app.newPage();
      pages.push(laptop, phone);
      await signIn(laptop, app.url, user);
      await signIn(phone, app.url, user);

      await openSettings(laptop);
      const sessions = laptop.getByRole("region", { name: "Sessions" });
      const items = sessions.getByRole("listitem");
      await items.nth(1).waitFor();
      assert.equal(await items.count(), 2);
      const other = items.filter({ hasNot: laptop.getByText("(this device)") });
      await other.getByRole("button", { name: "Sign out" }).click();
      await items.nth(1).waitFor({ state: "detached" });
      await sessions.getByText("(this device)").waitFor();
      await laptop.getByRole("region", { name: "Activity history" }).getByText("A session was signed out").waitFor();

      // The other browser still holds its tokens; its next visit finds the session gone.
      await phone.reload();
      await phone.getByRole("heading", { name: "Sign in" }).waitFor();
      await phone.goto(`${app.url}/settings`);
      await phone.getByRole("heading", { name: "Sign in" }).waitFor();
      // The laptop is still signed in.
      await laptop.reload();
      await laptop.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    },
  );
});
