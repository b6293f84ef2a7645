import assert from "node:assert/strict";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { createInboxServer } from "./inbox-server.ts";
import { MessageStore } from "./message-store.ts";
import { createResendSender, type MailSendError } from "./resend-sender.ts";

const server = createInboxServer(new MessageStore());
let base = "";
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const send = (body: unknown, headers: Record<string, string> = { authorization: "Bearer re_test", "content-type": "application/json" }) =>
  fetch(`${base}/emails`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

test("POST /emails takes Resend's request and answers Resend's {id}", async () => {
  const response = await send({
    from: "Acme <noreply@acme.test>",
    to: ["Ann@Example.com"],
    subject: "Hello",
    html: "<p>Hi <b>Ann</b></p>",
    text: "Hi Ann",
  });
  assert.equal(response.status, 200);
  const { id } = (await response.json()) as { id: string };
  assert.match(id, /^[0-9a-f-]{36}$/);
  const stored = (await (await fetch(`${base}/api/messages/${id}`)).json()) as Record<string, unknown>;
  assert.equal(stored.subject, "Hello");
  assert.deepEqual(stored.to, ["Ann@Example.com"]);
  const resend = (await (await fetch(`${base}/emails/${id}`, { headers: { authorization: "Bearer re_test" } })).json()) as Record<
    string,
    unknown
  >;
  assert.equal(resend.object, "email");
  assert.equal(resend.last_event, "delivered");
});

test("POST /emails without an API key is 401 missing_api_key, and invalid requests are 422", async () => {
  const noKey = await send({ from: "a@b.test", to: "c@d.test", subject: "x", text: "x" }, { "content-type": "application/json" });
  assert.equal(noKey.status, 401);
  assert.equal(((await noKey.json()) as { name: string }).name, "missing_api_key");
  const noTo = await send({ from: "a@b.test", subject: "x", text: "x" });
  assert.equal(noTo.status, 422);
  assert.equal(((await noTo.json()) as { name: string }).name, "missing_required_field");
  const noBody = await send({ from: "a@b.test", to: "c@d.test", subject: "x" });
  assert.equal(noBody.status, 422);
  const notJson = await send("to=me", { authorization: "Bearer re_test", "content-type": "application/x-www-form-urlencoded" });
  assert.equal(notJson.status, 422);
});

test("the JSON API lists by recipient newest first, reads one, and deletes", async () => {
  const to = `list-${Date.now()}@example.com`;
  await send({ from: "a@b.test", to, subject: "first", text: "1" });
  await send({ from: "a@b.test", to: [`Someone <${to.toUpperCase()}>`], subject: "second", text: "2" });
  const listed = (await (await fetch(`${base}/api/messages?to=${encodeURIComponent(to)}`)).json()) as {
    total: number;
    messages: { id: string; subject: string }[];
  };
  assert.equal(listed.total, 2);
  assert.deepEqual(
    listed.messages.map((m) => m.subject),
    ["second", "first"],
  );
  assert.equal((await fetch(`${base}/api/messages/${listed.messages[0].id}`, { method: "DELETE" })).status, 204);
  assert.equal((await fetch(`${base}/api/messages/${listed.messages[0].id}`)).status, 404);
  await fetch(`${base}/api/messages?to=${encodeURIComponent(to)}`, { method: "DELETE" });
  const after = (await (await fetch(`${base}/api/messages?to=${encodeURIComponent(to)}`)).json()) as { total: number };
  assert.equal(after.total, 0);
});

test("Mailpit's read API answers for tests written against supabase start", async () => {
  const to = `mailpit-${Date.now()}@example.com`;
  await send({
    from: "Admin <admin@email.com>",
    to,
    subject: "Confirm your email address",
    html: "<a href='x'>Confirm</a>",
    text: "Confirm",
  });
  const search = (await (await fetch(`${base}/api/v1/search?query=${encodeURIComponent(`to:"${to}"`)}`)).json()) as {
    messages: { ID: string; To: { Address: string }[]; Subject: string }[];
  };
  assert.equal(search.messages.length, 1);
  assert.equal(search.messages[0].To[0].Address, to);
  const message = (await (await fetch(`${base}/api/v1/message/${search.messages[0].ID}`)).json()) as { HTML: string; Text: string };
  assert.match(message.HTML, /Confirm/);
  const latest = (await (await fetch(`${base}/api/v1/message/latest`)).json()) as { Subject: string };
  assert.equal(latest.Subject, "Confirm your email address");
});

test("the web page at / lists messages from the JSON API", async () => {
  const response = await fetch(`${base}/`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /text\/html/);
  const html = await response.text();
  assert.match(html, /fetch\("\/api\/messages"/);
  assert.match(html, /sandbox/);
});

test("the Resend sender posts to the inbox and reports failures with their status", async () => {
  const sender = createResendSender({ baseUrl: base, apiKey: "re_local" });
  const { id } = await sender.send({ from: "a@b.test", to: ["sender@example.com"], subject: "via sender", html: "<p>x</p>" });
  assert.equal(((await (await fetch(`${base}/api/messages/${id}`)).json()) as { subject: string }).subject, "via sender");
  const broken = createResendSender({ baseUrl: base, apiKey: "re_local" });
  await assert.rejects(broken.send({ from: "a@b.test", to: [], subject: "x", html: "x" }), (error: MailSendError) => error.status === 422);
});

test("a page on another origin cannot read or delete the inbox; loopback origins and site_url can", async () => {
  const guarded = createInboxServer(new MessageStore(), { siteUrl: "https://app.example.com" });
  await new Promise<void>((resolve) => guarded.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(guarded.address() as AddressInfo).port}`;
  try {
    const to = `cors-${Date.now()}@example.com`;
    await fetch(`${url}/emails`, {
      method: "POST",
      headers: { authorization: "Bearer re_test", "content-type": "application/json" },
      body: JSON.stringify({ from: "a@b.test", to, subject: "Your magic link", text: "secret" }),
    });
    for (const origin of ["https://evil.example", "null", "http://127.0.0.1.evil.example:54324", "file://"]) {
      const read = await fetch(`${url}/api/messages`, { headers: { origin } });
      assert.equal(read.status, 403, origin);
      assert.equal(read.headers.get("access-control-allow-origin"), null, origin);
      assert.doesNotMatch(await read.text(), /magic link|secret/, origin);
      const preflight = await fetch(`${url}/api/messages`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "DELETE" },
      });
      assert.equal(preflight.headers.get("access-control-allow-origin"), null, origin);
      assert.equal((await fetch(`${url}/api/messages`, { method: "DELETE", headers: { origin } })).status, 403, origin);
    }
    const stillThere = (await (await fetch(`${url}/api/messages?to=${encodeURIComponent(to)}`)).json()) as { total: number };
    assert.equal(stillThere.total, 1, "nothing was deleted by the refused requests");

    for (const origin of ["http://127.0.0.1:5173", "http://localhost:3000", "http://[::1]:8080", "https://app.example.com"]) {
      const read = await fetch(`${url}/api/messages`, { headers: { origin } });
      assert.equal(read.status, 200, origin);
      assert.equal(read.headers.get("access-control-allow-origin"), origin);
      assert.match(read.headers.get("vary") ?? "", /Origin/);
    }
  } finally {
    await new Promise<void>((resolve) => guarded.close(() => resolve()));
  }
});

test("a Host name that is not loopback is refused, so DNS rebinding cannot make a page same-origin", async () => {
  const port = Number(new URL(base).port);
  const statusFor = (host: string) =>
    new Promise<number>((resolve, reject) => {
      request({ host: "127.0.0.1", port, path: "/api/messages", headers: { host } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end();
    });
  assert.equal(await statusFor("attacker.example:54324"), 403);
  assert.equal(await statusFor("["), 403);
  assert.equal(await statusFor(`127.0.0.1:${port}`), 200);
  assert.equal(await statusFor(`localhost:${port}`), 200);
});

test("a send retried with the same Idempotency-Key is one email; the key with another payload is 409", async () => {
  const to = `idem-${Date.now()}@example.com`;
  const headers = { authorization: "Bearer re_test", "content-type": "application/json", "idempotency-key": `key-${to}` };
  const email = { from: "a@b.test", to, subject: "Once", text: "only once" };
  const first = await send(email, headers);
  const again = await send(email, headers);
  assert.equal(first.status, 200);
  assert.equal(again.status, 200);
  assert.deepEqual(await again.json(), await first.json());
  const changed = await send({ ...email, text: "something else" }, headers);
  assert.equal(changed.status, 409);
  assert.equal(((await changed.json()) as { name: string }).name, "invalid_idempotent_request");
  const stored = (await (await fetch(`${base}/api/messages?to=${encodeURIComponent(to)}`)).json()) as { total: number };
  assert.equal(stored.total, 1);
});

test("an address Resend would refuse is 422 validation_error and nothing is stored", async () => {
  const response = await send({ from: "a@b.test", to: "not-an-address", subject: "x", text: "x" });
  assert.equal(response.status, 422);
  assert.deepEqual(await response.json(), { statusCode: 422, name: "validation_error", message: "Invalid `to` field." });
  const named = await send({ from: "Ann <a@b.test>", to: ["Bob <bob@example.com>", "c@d.test"], subject: "x", text: "x" });
  assert.equal(named.status, 200);
});
