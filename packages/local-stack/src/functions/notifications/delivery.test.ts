// The whole pipeline with the real pieces: a chat message commits its event (outbox), the
// processor Edge Function delivers it, the inbox gets the email, the push receiver decrypts the
// push, and the recipient's supabase-js client sees the in-app row arrive live.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import {
  createUser,
  deliveriesFor,
  directRoom,
  emailsTo,
  pause,
  postMessage,
  processUntil,
  pushesTo,
  receiverSubscription,
  savePushSubscription,
  settled,
  sql,
} from "./notification-test-kit.ts";

after(() => sql.end());

test("a message to an offline user is one email, one decrypted push and one in-app row seen live", async () => {
  const sender = await createUser("snd");
  const recipient = await createUser("rcp");
  // No digest wait for this user: the message's email goes out on the next run.
  await recipient.client.from("notification_settings").insert({ email_digest_seconds: 0 }).throwOnError();
  const subscription = await receiverSubscription();
  await savePushSubscription(recipient, subscription);

  const live: Record<string, unknown>[] = [];
  await recipient.client.realtime.setAuth((await recipient.client.auth.getSession()).data.session?.access_token ?? "");
  const channel = recipient.client.channel(`user:${recipient.id}`, { config: { private: true } });
  channel.on("broadcast", { event: "notifications" }, ({ payload }) => live.push(payload.record));
  await new Promise<void>((resolve, reject) =>
    channel.subscribe((status, error) => (status === "SUBSCRIBED" ? resolve() : status !== "CLOSED" && reject(error ?? new Error(status)))),
  );

  const roomId = await directRoom(sender, recipient);
  const messageId = await postMessage(sender, roomId, "Lunch at noon? <b>bring snacks</b>");

  const rows = await processUntil(async () => {
    const all = (await deliveriesFor([recipient.id])).filter((d) => d.type === "new_message");
    return settled(all) && all;
  });
  assert.deepEqual(rows.map((d) => [d.channel, d.status, d.attempts]).sort(), [
    ["email", "sent", 1],
    ["in_app", "sent", 1],
    ["push", "sent", 1],
  ]);

  const emails = (await emailsTo(recipient.email)).filter((m) => m.subject.includes(sender.username));
  const messageEmails = emails.filter((m) => m.text.includes("Lunch at noon?"));
  assert.equal(messageEmails.length, 1, "exactly one email for the message");
  const [email] = messageEmails;
  assert.equal(email.subject, `${sender.username} in your direct conversation`);
  assert.match(email.text, /Lunch at noon\? <b>bring snacks<\/b>/, "the text body carries the message as written");
  assert.match(email.html, /Lunch at noon\? &lt;b&gt;bring snacks&lt;\/b&gt;/, "the HTML body escapes it");
  assert.match(email.html, new RegExp(`/chat/${roomId}`));
  assert.match(email.headers["List-Unsubscribe"], /^<http:\/\/.+\/functions\/v1\/notification-unsubscribe\?token=[\w.-]+>$/);
  assert.equal(email.headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");

  const pushes = (await pushesTo(subscription.endpoint)).filter((p) => p.json?.type === "new_message");
  assert.equal(pushes.length, 1, "exactly one push for the message");
  assert.equal(pushes[0].decrypt_error, null);
  assert.equal(pushes[0].json?.title, `${sender.username} in your direct conversation`);
  assert.equal(pushes[0].json?.body, "Lunch at noon? <b>bring snacks</b>");

  const { data: inbox } = await recipient.client.from("notifications").select("type, title, body, data, read_at").eq("type", "new_message");
  assert.equal(inbox?.length, 1);
  assert.equal(inbox?.[0].data.message_id, messageId);
  assert.equal(inbox?.[0].read_at, null);
  for (let i = 0; i < 40 && !live.some((row) => row.type === "new_message"); i++) await pause(100);
  assert.deepEqual(
    live.filter((row) => row.type === "new_message").map((row) => row.body),
    ["Lunch at noon? <b>bring snacks</b>"],
  );
  await recipient.client.removeAllChannels();

  // Running the processor again changes nothing: every delivery happened once.
  await processUntil(async () => true);
  assert.equal((await emailsTo(recipient.email)).filter((m) => m.text.includes("Lunch at noon?")).length, 1);
  assert.equal((await pushesTo(subscription.endpoint)).filter((p) => p.json?.type === "new_message").length, 1);
});

test("the sender is never notified of their own message, and a mention replaces new_message for the named member", async () => {
  const sender = await createUser("men");
  const named = await createUser("nmd");
  const roomId = await directRoom(sender, named);
  await postMessage(sender, roomId, `hey @${named.username.toUpperCase()} look`);
  const rows = await processUntil(async () => {
    const all = await deliveriesFor([sender.id, named.id]);
    return all.some((d) => d.type === "mention") && settled(all) && all;
  });
  assert.deepEqual([...new Set(rows.filter((d) => d.user_id === named.id).map((d) => d.type))].sort(), ["direct_conversation", "mention"]);
  assert.equal(rows.filter((d) => d.user_id === sender.id).length, 0);
});
