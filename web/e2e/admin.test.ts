// Browser end-to-end tests of the admin page: refused to a normal user; an admin sees every user
// and the activity of all accounts, or of one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import type { Page } from "playwright-core";
import WebSocket from "ws";
import { serveAppForTests, signIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser, type E2eUser } from "./support/users.ts";

const app = serveAppForTests();

/** Gives `user` an activity entry of their own (a profile update), as they would from any client. */
async function renameThroughApi(user: E2eUser, displayName: string) {
  const url = process.env.SUPABASE_URL;
  const anonKey = process.env.SUPABASE_ANON_KEY;
  assert.ok(url && anonKey, "SUPABASE_URL and SUPABASE_ANON_KEY are set by npm test");
  const client = createClient(url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  });
  const signedIn = await client.auth.signInWithPassword({ email: user.email, password: user.password });
  assert.ifError(signedIn.error);
  const updated = await client.from("profiles").update({ display_name: displayName }).eq("id", user.id);
  assert.ifError(updated.error);
  await client.auth.signOut();
}

test("a normal user has no admin link and the admin page refuses them", async () => {
  const user = await createConfirmedUser("Member");
  const pages: Page[] = [];
  await withFailureScreenshots(
    "admin-refused",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, user);
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Settings", exact: true }).waitFor();
      assert.equal(await nav.getByRole("link", { name: "Admin" }).count(), 0);
      await page.goto(`${app.url}/admin`);
      await page.getByRole("heading", { name: "Admins only" }).waitFor();
      assert.equal(await page.getByRole("heading", { name: "Administration" }).count(), 0);
    },
  );
});

test("an admin sees the users and all activity, and can narrow the activity to one user", async () => {
  const admin = await createConfirmedUser("Root", { role: "admin" });
  const target = await createConfirmedUser("Watched");
  const renamed = `${target.displayName} Renamed`;
  await renameThroughApi(target, renamed);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "admin",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, admin);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
      await page.getByRole("heading", { name: "Administration" }).waitFor();

      const users = page.getByRole("region", { name: "Users" });
      await users.getByRole("row").filter({ hasText: admin.displayName }).waitFor();
      const targetRow = users.getByRole("row").filter({ hasText: renamed });
      await targetRow.waitFor();

      // All activity includes another account's entry; selecting the user narrows it to theirs.
      const activity = page.getByRole("region", { name: "All activity" });
      await activity.getByText("Profile updated").first().waitFor();
      await targetRow.getByRole("button", { name: renamed }).click();
      const selected = page.getByRole("region", { name: "Activity of the selected user" });
      await selected.getByRole("listitem").first().waitFor();
      const entries = await selected.getByRole("listitem").allTextContents();
      assert.ok(entries.length >= 1 && entries.every((entry) => entry.startsWith("Profile updated")), entries.join("\n"));
    },
  );
});
