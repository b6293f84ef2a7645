// Each user's say over what reaches them: preferences per type and channel, one-click
// unsubscribe, a mute per room, blocks, quiet hours (deferred, not dropped; security notices
// still go out) and the digest that folds a burst of messages from one room into one email.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  admin,
  createUser,
  type DeliveryRow,
  deliveriesFor,
  directRoom,
  emailsTo,
  postMessage,
  processUntil,
  settled,
  sql,
  type TestUser,
} from "./notification-test-kit.ts";

after(() => sql.end());

async function groupWith(owner: TestUser, members: TestUser[], name = "Team"): Promise<string> {
  const { data, error } = await owner.client.rpc("create_group_room", { name, member_ids: members.map((m) => m.id) });
  if (error) throw error;
  return data as string;
}

const byChannel = (rows: DeliveryRow[]) => Object.fromEntries(rows.map((row) => [row.channel, [row.status, row.outcome]]));
const messageRows = async (user: TestUser) => (await deliveriesFor([user.id])).filter((row) => row.type === "new_message");
const untilSettled = (user: TestUser, count = 3) =>
  processUntil(async () => {
    const rows = await messageRows(user);
    return rows.length === count && settled(rows) && rows;
  });

test("an email turned off for new messages is suppressed with the reason; in-app still arrives", async () => {
  const sender = await createUser("ps");
  const recipient = await createUser("pr");
  await recipient.client.from("notification_settings").insert({ email_digest_seconds: 0 }).throwOnError();
  await recipient.client.from("notification_preferences").insert({ type: "new_message", channel: "email", enabled: false }).throwOnError();
  await postMessage(sender, await directRoom(sender, recipient), "are you there?");
  const rows = await untilSettled(recipient);
  assert.deepEqual(byChannel(rows), {
    email: ["suppressed", "turned off in preferences"],
    in_app: ["sent", "in-app row written"],
    push: ["suppressed", "recipient has no push subscription"],
  });
  assert.equal((await emailsTo(recipient.email)).filter((m) => m.text.includes("are you there?")).length, 0);
});

test("security notices cannot be turned off: the policy refuses the preference", async () => {
  const user = await createUser("pm");
  const { error } = await user.client
    .from("notification_preferences")
    .insert({ type: "security.new_device", channel: "email", enabled: false });
  assert.equal(error?.code, "42501");
  const { count } = await sql`select 1 from public.notification_preferences where user_id = ${user.id}`;
  assert.equal(count, 0);
});

test("the email's one-click unsubscribe link turns off that category's emails without signing in", async () => {
  const sender = await createUser("us");
  const recipient = await createUser("ur");
  await recipient.client.from("notification_settings").insert({ email_digest_seconds: 0 }).throwOnError();
  const roomId = await directRoom(sender, recipient);
  await postMessage(sender, roomId, "first one");
  await untilSettled(recipient);
  const [email] = (await emailsTo(recipient.email)).filter((m) => m.text.includes("first one"));
  const link = /^<(.+)>$/.exec(email.headers["List-Unsubscribe"])?.[1] ?? "";
  const forged = await fetch(
    link.replace(/.(?=$)/, (c) => (c === "A" ? "B" : "A")),
    { method: "POST", body: "List-Unsubscribe=One-Click" },
  );
  assert.equal(forged.status, 400, "an altered token is refused");
  assert.equal((await sql`select 1 from public.notification_preferences where user_id = ${recipient.id}`).count, 0);
  const scanned = await fetch(link);
  assert.equal(scanned.status, 405, "opening the link (GET) changes nothing");
  const response = await fetch(link, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  assert.equal(response.status, 200);
  const prefs = await sql`select type, channel::text, enabled from public.notification_preferences where user_id = ${recipient.id}`;
  assert.deepEqual([...prefs], [{ type: "new_message", channel: "email", enabled: false }]);

  await postMessage(sender, roomId, "second one");
  const rows = await processUntil(async () => {
    const all = await messageRows(recipient);
    return all.length === 6 && settled(all) && all;
  });
  assert.deepEqual(byChannel(rows.slice(3)).email, ["suppressed", "turned off in preferences"]);
});

test("a muted room sends nothing for new messages; a blocked sender reaches nobody who blocked them", async () => {
  const sender = await createUser("ms");
  const muter = await createUser("mm");
  const blocker = await createUser("mb");
  for (const user of [muter, blocker]) await user.client.from("notification_settings").insert({ email_digest_seconds: 0 }).throwOnError();
  const roomId = await groupWith(sender, [muter, blocker]);
  await muter.client.from("room_members").update({ muted: true }).eq("room_id", roomId).eq("user_id", muter.id).throwOnError();
  await blocker.client.from("user_blocks").insert({ blocked_id: sender.id }).throwOnError();
  await postMessage(sender, roomId, "anyone?");
  const muted = await untilSettled(muter);
  const blocked = await untilSettled(blocker);
  assert.ok(muted.every((row) => row.status === "suppressed" && row.outcome === "room muted"));
  assert.ok(blocked.every((row) => row.status === "suppressed" && row.outcome === "blocked"));
  const { data } = await blocker.client.from("notifications").select("type").eq("type", "new_message");
  assert.deepEqual(data, []);
});

test("quiet hours defer email and push to their end (in-app goes at once), security notices ignore them", async () => {
  const sender = await createUser("qs");
  const sleeper = await createUser("qr");
  const hour = new Date().getUTCHours();
  const at = (h: number) => `${String((h + 24) % 24).padStart(2, "0")}:00`;
  await sleeper.client
    .from("notification_settings")
    .insert({ email_digest_seconds: 0, quiet_hours_start: at(hour - 1), quiet_hours_end: at(hour + 2) })
    .throwOnError();
  await postMessage(sender, await directRoom(sender, sleeper), "late night ping");
  const rows = await processUntil(async () => {
    const all = await messageRows(sleeper);
    return (
      all.some((row) => row.channel === "email" && row.outcome === "deferred by quiet hours") &&
      all.find((r) => r.channel === "in_app")?.status === "sent" &&
      all
    );
  });
  const email = rows.find((row) => row.channel === "email");
  assert.equal(email?.status, "queued", "deferred, not dropped");
  assert.ok((email?.available_at.getTime() ?? 0) > Date.now() + 3600_000, "held until the quiet hours end");

  const changed = await admin.auth.admin.updateUserById(sleeper.id, { password: `Pw1-${crypto.randomUUID()}` });
  assert.equal(changed.error, null);
  const notice = await processUntil(async () => {
    const all = (await deliveriesFor([sleeper.id])).filter((row) => row.type === "security.password_changed");
    return settled(all) && all;
  });
  assert.deepEqual(byChannel(notice).email, ["sent", notice.find((r) => r.channel === "email")?.outcome]);
  assert.equal((await emailsTo(sleeper.email)).filter((m) => m.subject === "Your password was changed").length, 1);

  // The night ends: the deferred email goes out.
  await sql`update public.notification_settings set quiet_hours_start = null, quiet_hours_end = null where user_id = ${sleeper.id}`;
  await sql`update private.notification_deliveries set available_at = now() where id = ${email?.id ?? 0}`;
  await untilSettled(sleeper);
  assert.equal((await emailsTo(sleeper.email)).filter((m) => m.text.includes("late night ping")).length, 1);
});

test("a burst of messages from one room becomes one digest email", async () => {
  const sender = await createUser("ds");
  const reader = await createUser("dr");
  await reader.client.from("notification_settings").insert({ email_digest_seconds: 3600 }).throwOnError();
  const roomId = await groupWith(sender, [reader], "Burst");
  for (const body of ["one", "two", "three"]) await postMessage(sender, roomId, `burst ${body}`);
  await processUntil(async () => {
    const rows = await messageRows(reader);
    return rows.length === 9 && rows.filter((row) => row.channel === "in_app").every((row) => row.status === "sent");
  });
  const waiting = (await messageRows(reader)).filter((row) => row.channel === "email");
  assert.deepEqual(
    waiting.map((row) => row.status),
    ["queued", "queued", "queued"],
    "emails wait for the digest window",
  );
  // The window of the first ends: it takes the others along.
  await sql`update private.notification_deliveries set available_at = now() where id = ${waiting[0].id}`;
  await untilSettled(reader, 9);
  const digests = (await emailsTo(reader.email)).filter((m) => m.text.includes("burst"));
  assert.equal(digests.length, 1);
  assert.equal(digests[0].subject, "3 new messages in #Burst");
  for (const body of ["one", "two", "three"]) assert.match(digests[0].text, new RegExp(`burst ${body}`));
});
