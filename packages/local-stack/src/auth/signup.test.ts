import assert from "node:assert/strict";
import { after, test } from "node:test";
import { AuthApiError, AuthWeakPasswordError } from "@supabase/supabase-js";
import postgres from "postgres";
import {
  adminClient,
  confirmedUser,
  decodeJwt,
  fragmentParams,
  latestMessage,
  messagesTo,
  openLink,
  otpCode,
  stackFromEnvironment,
  strongPassword,
  uniqueEmail,
  userClient,
  verifyLink,
} from "./auth-test-kit.ts";

const stack = stackFromEnvironment();
const sql = postgres(process.env.SUPABASE_DB_URL ?? "", { max: 1, onnotice: () => {} });
after(() => sql.end());

test("sign-up with confirmations on returns a bare user, mails a confirmation, and refuses sign-in until confirmed", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("signup");
  const password = strongPassword();
  const { data, error } = await client.auth.signUp({ email, password, options: { data: { full_name: "Ada Lovelace", plan: "free" } } });
  assert.equal(error, null);
  assert.equal(data.session, null);
  assert.equal(data.user?.email, email);
  assert.deepEqual(data.user?.user_metadata, { full_name: "Ada Lovelace", plan: "free" });
  assert.deepEqual(data.user?.app_metadata, { provider: "email", providers: ["email"] });
  assert.equal(data.user?.identities?.length, 1);
  assert.equal(data.user?.identities?.[0].provider, "email");
  assert.ok(data.user?.confirmation_sent_at);
  assert.equal(data.user?.email_confirmed_at, undefined);

  const message = await latestMessage(stack, email, /Confirm your email address/);
  assert.match(verifyLink(message), /\/auth\/v1\/verify\?token=[0-9a-f]{56}&type=signup&redirect_to=/);

  const signIn = await client.auth.signInWithPassword({ email, password });
  assert.ok(signIn.error instanceof AuthApiError);
  assert.equal(signIn.error.code, "email_not_confirmed");
  assert.equal(signIn.error.status, 400);
});

test("the confirmation link signs the user in through a 303 to redirect_to, and queues the welcome notification", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("link");
  const password = strongPassword();
  await client.auth.signUp({ email, password, options: { emailRedirectTo: "http://127.0.0.1:5173/welcome" } });
  const link = verifyLink(await latestMessage(stack, email, /Confirm your email/));
  const { status, location } = await openLink(link);
  assert.equal(status, 303);
  assert.equal(`${location.origin}${location.pathname}`, "http://127.0.0.1:5173/welcome");
  const fragment = fragmentParams(location);
  assert.equal(fragment.get("type"), "signup");
  assert.equal(fragment.get("token_type"), "bearer");
  const claims = decodeJwt(fragment.get("access_token") ?? "");
  assert.equal(claims.email, email);

  const session = await client.auth.setSession({
    access_token: fragment.get("access_token")!,
    refresh_token: fragment.get("refresh_token")!,
  });
  assert.equal(session.error, null);
  assert.ok(session.data.user?.email_confirmed_at);
  // The welcome mail is the notification system's (supabase/migrations/*_notification_event_sources.sql),
  // so hosted Supabase sends it too: confirming writes its event to the outbox, once.
  const events = await sql`select type from private.notification_events where idempotency_key = ${`welcome:${session.data.user?.id}`}`;
  assert.deepEqual(
    events.map((e) => e.type),
    ["welcome"],
  );

  // A used link is spent.
  const again = await openLink(link);
  assert.equal(fragmentParams(again.location).get("error_code"), "otp_expired");
  assert.equal((await client.auth.signInWithPassword({ email, password })).error, null);
});

test("the code in the confirmation mail verifies the email and answers a session", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("code");
  const password = strongPassword();
  await client.auth.signUp({ email, password });
  const code = otpCode(await latestMessage(stack, email, /Confirm your email/));
  const wrong = await client.auth.verifyOtp({ email, token: code === "000000" ? "111111" : "000000", type: "email" });
  assert.equal(wrong.error?.code, "otp_expired");
  assert.equal(wrong.error?.status, 403);
  const { data, error } = await client.auth.verifyOtp({ email, token: code, type: "email" });
  assert.equal(error, null);
  assert.equal(data.user?.email, email);
  const claims = decodeJwt(data.session!.access_token);
  assert.deepEqual(Object.keys(claims).sort(), [
    "aal",
    "amr",
    "app_metadata",
    "aud",
    "email",
    "exp",
    "iat",
    "is_anonymous",
    "iss",
    "phone",
    "role",
    "session_id",
    "sub",
    "user_metadata",
  ]);
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.aud, "authenticated");
  assert.equal(claims.aal, "aal1");
  assert.equal(claims.is_anonymous, false);
  assert.equal(claims.iss, `${stack.apiUrl}/auth/v1`);
  assert.equal((claims.amr as { method: string }[])[0].method, "otp");
  assert.equal((claims.exp as number) - (claims.iat as number), 3600);
});

test("signing in with the password answers a session whose JWT carries Supabase's claims", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("pw");
  const password = strongPassword();
  await client.auth.signUp({ email, password, options: { data: { full_name: "Grace" } } });
  await client.auth.verifyOtp({ email, token: otpCode(await latestMessage(stack, email, /Confirm/)), type: "email" });
  await client.auth.signOut();
  const { data, error } = await client.auth.signInWithPassword({ email, password });
  assert.equal(error, null);
  assert.equal(data.session?.token_type, "bearer");
  assert.equal(data.session?.expires_in, 3600);
  assert.match(data.session?.refresh_token ?? "", /^[a-z2-7]{12}$/);
  const claims = decodeJwt(data.session!.access_token);
  assert.equal(claims.sub, data.user?.id);
  assert.deepEqual(claims.user_metadata, data.user?.user_metadata);
  assert.equal((claims.amr as { method: string }[])[0].method, "password");
  assert.equal(typeof claims.session_id, "string");
  assert.ok(data.user?.last_sign_in_at);

  const wrong = await client.auth.signInWithPassword({ email, password: `${password}x` });
  assert.equal(wrong.error?.code, "invalid_credentials");
  assert.equal(wrong.error?.message, "Invalid login credentials");
  const unknown = await client.auth.signInWithPassword({ email: uniqueEmail("nobody"), password });
  assert.equal(unknown.error?.code, "invalid_credentials");
});

test("a weak password is refused with Supabase's reasons and no user is created", async () => {
  const client = userClient(stack);
  const email = uniqueEmail("weak");
  const short = await client.auth.signUp({ email, password: "Ab1" });
  assert.ok(short.error instanceof AuthWeakPasswordError);
  assert.equal(short.error.status, 422);
  assert.deepEqual(short.error.reasons, ["length"]);
  const plain = await client.auth.signUp({ email, password: "alllowercase" });
  assert.ok(plain.error instanceof AuthWeakPasswordError);
  assert.deepEqual(plain.error.reasons, ["characters"]);
  assert.equal((await messagesTo(stack, email)).length, 0);
  const admin = await fetch(`${stack.apiUrl}/auth/v1/admin/users?filter=${encodeURIComponent(email)}`, {
    headers: { apikey: stack.secretKey },
  });
  assert.equal(((await admin.json()) as { users: unknown[] }).users.length, 0);
});

test("signing up again with a confirmed email answers a made-up user that reveals nothing of the account, and changes nothing", async () => {
  const admin = adminClient(stack);
  const { email, password, client, user } = await confirmedUser(stack, { secret_note: "private" });
  await admin.auth.admin.updateUserById(user.id, { app_metadata: { role: "admin" }, phone: "15555550100" });
  const pendingEmail = uniqueEmail("pending");
  assert.equal((await client.auth.updateUser({ email: pendingEmail })).error, null);
  const before = (await admin.auth.admin.getUserById(user.id)).data.user!;
  assert.equal(before.app_metadata.role, "admin");
  assert.equal(before.new_email, pendingEmail);
  const mails = (await messagesTo(stack, email)).length;

  const { data, error } = await userClient(stack).auth.signUp({ email, password: strongPassword(), options: { data: { plan: "pro" } } });
  assert.equal(error, null);
  assert.equal(data.session, null);
  const answer = data.user!;
  assert.notEqual(answer.id, user.id);
  assert.equal(answer.email, email);
  assert.deepEqual(answer.identities, []);
  assert.deepEqual(answer.app_metadata, { provider: "email", providers: ["email"] });
  assert.deepEqual(answer.user_metadata, { plan: "pro" });
  assert.equal(answer.phone, "");
  assert.equal(answer.role, "");
  assert.ok(answer.confirmation_sent_at);
  for (const field of ["new_email", "email_confirmed_at", "last_sign_in_at", "factors", "email_change_sent_at"] as const)
    assert.equal(answer[field], undefined, field);
  const text = JSON.stringify(answer);
  for (const secret of [user.id, "admin", "private", "15555550100", pendingEmail]) assert.ok(!text.includes(secret), secret);

  // Nothing changed and nothing was sent; the real password still works.
  assert.deepEqual((await admin.auth.admin.getUserById(user.id)).data.user, before);
  assert.equal((await messagesTo(stack, email)).length, mails);
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error, null);
});

test("signing up again before confirming re-sends the mail, keeps the account as it was, and shows nothing of it", async () => {
  const admin = adminClient(stack);
  const email = uniqueEmail("unconfirmed");
  const password = strongPassword();
  const created = await admin.auth.admin.createUser({
    email,
    password,
    app_metadata: { role: "admin" },
    user_metadata: { secret_note: "private" },
  });
  assert.equal(created.error, null);
  const { data, error } = await userClient(stack).auth.signUp({ email, password: strongPassword(), options: { data: { plan: "pro" } } });
  assert.equal(error, null);
  assert.equal(data.session, null);
  // As from GoTrue, the account's id; nothing else of it.
  assert.equal(data.user?.id, created.data.user?.id);
  assert.deepEqual(data.user?.app_metadata, { provider: "email", providers: ["email"] });
  assert.deepEqual(data.user?.user_metadata, { plan: "pro" });
  const text = JSON.stringify(data.user);
  for (const secret of ["admin", "private"]) assert.ok(!text.includes(secret), secret);

  // The mail went out again; confirming through it leaves the first password and metadata in place.
  const client = userClient(stack);
  const code = otpCode(await latestMessage(stack, email, /Confirm your email/));
  assert.equal((await client.auth.verifyOtp({ email, token: code, type: "email" })).error, null);
  assert.equal((await userClient(stack).auth.signInWithPassword({ email, password })).error, null);
  const stored = (await admin.auth.admin.getUserById(created.data.user!.id)).data.user!;
  assert.deepEqual(stored.user_metadata, { secret_note: "private" });
  assert.equal(stored.app_metadata.role, "admin");
});

test("malformed and SQL-looking emails are refused with validation_failed", async () => {
  const client = userClient(stack);
  for (const email of [
    "not-an-email",
    "a@b",
    "x'; drop table auth.users; --@example.com",
    "' or 1=1 --",
    `${"a".repeat(250)}@example.com`,
  ]) {
    const { error } = await client.auth.signUp({ email, password: strongPassword() });
    assert.equal(error?.code, "validation_failed", email);
    assert.equal(error?.status, 400);
  }
  const { error } = await client.auth.signInWithPassword({ email: "' or '1'='1", password: "' or '1'='1" });
  assert.equal(error?.code, "invalid_credentials");
});

test("anonymous sign-in answers a session for an anonymous user", async () => {
  const client = userClient(stack);
  const { data, error } = await client.auth.signInAnonymously({ options: { data: { theme: "dark" } } });
  assert.equal(error, null);
  assert.equal(data.user?.is_anonymous, true);
  assert.deepEqual(data.user?.identities, []);
  assert.deepEqual(data.user?.user_metadata, { theme: "dark" });
  const claims = decodeJwt(data.session!.access_token);
  assert.equal(claims.is_anonymous, true);
  assert.equal(claims.role, "authenticated");
  assert.equal((claims.amr as { method: string }[])[0].method, "anonymous");
  const me = await client.auth.getUser();
  assert.equal(me.data.user?.id, data.user?.id);
});
