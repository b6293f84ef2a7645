// Browser end-to-end tests of notifications: another user's message lights the bell live (no
// reload), the list and preferences pages pass axe, push opt-in in Chromium delivers to the local
// push receiver, and the email's unsubscribe link works signed out. The test stack schedules no
// processor, so the test runs it as pg_cron would.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import type { Page } from "playwright-core";
import WebSocket from "ws";
import { assertNoSeriousViolations } from "./support/axe.ts";
import { serveAppForTests, signIn, withFailureScreenshots } from "./support/session.ts";
import { createConfirmedUser, type E2eUser } from "./support/users.ts";

const app = serveAppForTests();
const url = process.env.SUPABASE_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";
const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY ?? "";
const options = { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never } };
const service = createClient(url, serviceRoleKey, options);

async function runProcessor(): Promise<void> {
  const response = await fetch(`${url}/functions/v1/notification-processor`, {
    method: "POST",
    headers: { authorization: `Bearer ${serviceRoleKey}`, "content-type": "application/json" },
    body: "{}",
  });
  await response.body?.cancel();
}

/** Runs the processor until `check` holds (other tests run it too). */
async function processUntil<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    await runProcessor();
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`never got: ${what}`);
}

/** `from` writes to `to` in their direct room through supabase-js, as another browser would. */
async function sendAs(from: E2eUser, to: E2eUser, body: string): Promise<void> {
  const client = createClient(url, anonKey, options);
  assert.ifError((await client.auth.signInWithPassword({ email: from.email, password: from.password })).error);
  const room = await client.rpc("get_or_create_direct_room", { other_user_id: to.id });
  assert.ifError(room.error);
  assert.ifError((await client.from("messages").insert({ room_id: room.data, body })).error);
  await client.auth.signOut();
}

const bellCount = async (page: Page) => Number(await page.getByTestId("notification-bell").getAttribute("data-unread"));

test("a second user's message lights the bell live; the notifications page lists it and marks all read", async () => {
  const [reader, writer] = await Promise.all([createConfirmedUser("Bell"), createConfirmedUser("Writer")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "notifications-bell",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, reader);
      const { data: existing } = await service.from("notifications").select("id").eq("user_id", reader.id).is("read_at", null);
      await page.locator(`[data-testid="notification-bell"][data-unread="${existing?.length ?? 0}"]`).waitFor();
      const before = await bellCount(page);

      await sendAs(writer, reader, "Lunch at noon?");
      // The message (and the new direct conversation) arrive while the page stays as it is.
      const unread = await processUntil("the message notification", async () => {
        const { data } = await service.from("notifications").select("type").eq("user_id", reader.id).is("read_at", null);
        return data?.some((row) => row.type === "new_message") ? data.length : undefined;
      });
      assert.ok(unread > before);
      await page.getByRole("link", { name: `Notifications, ${unread} unread` }).waitFor();
      assert.equal(await bellCount(page), unread);

      await page.getByTestId("notification-bell").click();
      await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
      const item = page.getByTestId("notification").filter({ hasText: "Lunch at noon?" });
      await item.and(page.locator('[data-unread="true"]')).waitFor();
      await assertNoSeriousViolations(page, "notifications");
      await page.getByRole("button", { name: "Mark all read" }).click();
      await item.and(page.locator('[data-unread="false"]')).waitFor();
      await page.getByRole("link", { name: "Notifications", exact: true }).waitFor();
      const { data: stillUnread } = await service.from("notifications").select("id").eq("user_id", reader.id).is("read_at", null);
      assert.deepEqual(stillUnread, []);
    },
  );
});

test("push opt-in in Chromium delivers to the push receiver; the email's unsubscribe link works signed out", async () => {
  const [reader, writer] = await Promise.all([createConfirmedUser("Pusher"), createConfirmedUser("Sender")]);
  const pages: Page[] = [];
  await withFailureScreenshots(
    "notifications-push",
    () => pages,
    async () => {
      const page = await app.newPage();
      pages.push(page);
      await signIn(page, app.url, reader);
      await page.goto(`${app.url}/settings/notifications`);
      await page.getByRole("heading", { name: "Notification settings" }).waitFor();
      await page.getByRole("checkbox", { name: /new message.*: Email/i }).waitFor();
      await assertNoSeriousViolations(page, "notification settings");

      // Emails at once rather than after the 5-minute digest, so the unsubscribe link comes now.
      await page.getByLabel("New message emails").selectOption("0");
      await processUntil("the digest setting saved", async () => {
        const { data } = await service.from("notification_settings").select("email_digest_seconds").eq("user_id", reader.id).maybeSingle();
        return data?.email_digest_seconds === 0 ? true : undefined;
      });

      await page.getByRole("button", { name: "Turn on push on this browser" }).click();
      await page.getByText("Push is on for this browser.").waitFor();
      const endpoint = await page.evaluate(() => localStorage.getItem("basekit.push-endpoint"));
      assert.ok(endpoint);
      const { data: devices } = await service.from("push_subscriptions").select("endpoint").eq("user_id", reader.id);
      assert.deepEqual(devices, [{ endpoint }]);

      await sendAs(writer, reader, "Pushed to your browser");
      const pushes = await processUntil("the push at the receiver", async () => {
        const answer = await fetch(`${url}/push/v1/messages?endpoint=${encodeURIComponent(endpoint)}`);
        const { messages } = (await answer.json()) as { messages: { json: { body?: string } | null; decrypt_error: string | null }[] };
        return messages.some((push) => /Pushed to your browser/.test(push.json?.body ?? "")) ? messages : undefined;
      });
      const mine = pushes.filter((push) => /Pushed to your browser/.test(push.json?.body ?? ""));
      assert.equal(mine.length, 1);
      assert.equal(mine[0].decrypt_error, null);
      // Opting out forgets this browser's subscription: nothing is pushed to it any more.
      await page.getByRole("button", { name: "Turn off push on this browser" }).click();
      await page.getByRole("button", { name: "Turn on push on this browser" }).waitFor();
      const { data: left } = await service.from("push_subscriptions").select("endpoint").eq("user_id", reader.id);
      assert.deepEqual(left, []);

      // The mail inbox page lists what the receiver decrypted.
      const inbox = await app.newPage();
      pages.push(inbox);
      await inbox.goto(`${process.env.BASEKIT_MAIL_URL}/`);
      await inbox.getByRole("list", { name: "Pushes" }).getByText("Pushed to your browser").first().waitFor();

      const token = await processUntil("the email with its unsubscribe link", async () => {
        const answer = await fetch(`${process.env.BASEKIT_MAIL_URL}/api/messages?to=${encodeURIComponent(reader.email)}`);
        const { messages } = (await answer.json()) as { messages: { subject: string; text: string }[] };
        const email = messages.find((message) => message.text.includes("Pushed to your browser"));
        return email ? /\/unsubscribe\?token=([A-Za-z0-9._-]+)/.exec(email.text)?.[1] : undefined;
      });
      const signedOut = await app.newPage();
      pages.push(signedOut);
      await signedOut.goto(`${app.url}/unsubscribe?token=${token}`);
      await signedOut.getByRole("heading", { name: "Unsubscribe" }).waitFor();
      await assertNoSeriousViolations(signedOut, "unsubscribe");
      const { data: untouched } = await service
        .from("notification_preferences")
        .select("type")
        .eq("user_id", reader.id)
        .eq("enabled", false);
      assert.deepEqual(untouched, [], "opening the page changes nothing");
      await signedOut.getByRole("button", { name: "Unsubscribe" }).click();
      await signedOut.getByText(/no longer get messages emails/).waitFor();
      const { data: off } = await service
        .from("notification_preferences")
        .select("type, channel, enabled")
        .eq("user_id", reader.id)
        .order("type");
      assert.deepEqual(off, [{ type: "new_message", channel: "email", enabled: false }]);
    },
  );
});
