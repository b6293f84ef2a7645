// Browser end-to-end tests of the account pages: password reset and magic link through the
// emailed links, and editing the profile.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { waitForEmailLink } from "./support/inbox.ts";
import { serveAppForTests, signIn, submitSignIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser } from "./support/users.ts";

const app = serveAppForTests();

test("a forgotten password is reset through the emailed link, and only the new one signs in", async () => {
  const user = await createConfirmedUser("Forgetful");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "password-reset",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await page.goto(`${app.url}/sign-in`);
      await page.getByRole("link", { name: "Forgot your password?" }).click();
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Email me a reset link" }).click();
      await page.getByText(`If an account exists for ${user.email}`).waitFor();

      await page.goto(await waitForEmailLink(user.email));
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      const newPassword = "Brand-New-Secret-9";
      await page.getByLabel("New password", { exact: true }).fill(newPassword);
      await page.getByRole("button", { name: "Save password" }).click();
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();

      // The old password no longer works; the new one does.
      await submitSignIn(page, app.url, user.email, user.password);
      await page
        .getByRole("alert")
        .filter({ hasText: /invalid/i })
        .waitFor();
      await signIn(page, app.url, { ...user, password: newPassword });
    },
  );
});

test("a magic link from the sign-in page signs the user in", async () => {
  const user = await createConfirmedUser("Linky");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "magic-link",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await page.goto(`${app.url}/sign-in`);
      await page.getByRole("link", { name: "Email me a sign-in link" }).click();
      await page.getByRole("heading", { name: "Sign in with a link" }).waitFor();
      await page.getByLabel("Email").fill(user.email);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await page.getByText(`If an account exists for ${user.email}`).waitFor();

      await page.goto(await waitForEmailLink(user.email));
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
      assert.equal(new URL(page.url()).origin, app.url);
      // The session is kept: a reload stays signed in.
      await page.reload();
      await page.getByRole("heading", { name: `Welcome, ${user.displayName}` }).waitFor();
    },
  );
});

test("profile edits persist after a reload; a taken username gets a clear error on its field", async () => {
  const [user, other] = await Promise.all([createConfirmedUser("Editor"), createConfirmedUser("Holder")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "profile",
    () => pages,
    async () => {
      const otherPage = await app.newPage();
      pages.push(otherPage);
      await signIn(otherPage, app.url, other);
      await otherPage.getByRole("link", { name: "Profile", exact: true }).click();
      const takenUsername = await otherPage.getByLabel("Username").inputValue();
      assert.ok(takenUsername, "every profile has a username");

      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, user);
      await page.getByRole("link", { name: "Profile", exact: true }).click();
      const username = page.getByLabel("Username");
      await username.fill(takenUsername);
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByText("This username is already taken.").waitFor();
      assert.equal(await username.getAttribute("aria-invalid"), "true");

      const newName = `${user.displayName} Renamed`;
      const newUsername = `ed_${Date.now().toString(36)}`;
      await page.getByLabel("Display name").fill(newName);
      await username.fill(newUsername);
      await page.getByLabel("Bio").fill("Writes end-to-end tests.");
      await page.getByRole("button", { name: "Save profile" }).click();
      await page.getByText("Profile saved.").waitFor();
      await page.getByTestId("current-user").filter({ hasText: newName }).waitFor();

      await page.reload();
      await page
        .getByLabel("Display name")
        .and(page.locator(`[value="${newName}"]`))
        .waitFor();
      assert.equal(await page.getByLabel("Username").inputValue(), newUsername);
      assert.equal(await page.getByLabel("Bio").inputValue(), "Writes end-to-end tests.");
    },
  );
});
