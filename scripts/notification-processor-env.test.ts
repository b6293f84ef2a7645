// `npm start` gives basekit the processor's URL and key, so notifications flow with nobody running
// the processor: the kit's own project, started as the demo starts it, turns a message into the
// recipient's in-app notification through the Vault secrets, the enqueue kick and pg_cron alone.
import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createClient } from "@supabase/supabase-js";
import WebSocket from "ws";
import { loadConfig } from "../packages/local-stack/src/config/load-config.ts";
import { connect, type Sql } from "../packages/local-stack/src/db/connect.ts";
import { createLogger } from "../packages/local-stack/src/log/logger.ts";
import { type RunningStack, startStack } from "../packages/local-stack/src/stack.ts";
import { freePort } from "../packages/local-stack/src/testing/fixture-stack.ts";
import { notificationProcessorEnv } from "./notification-processor-env.ts";

const root = join(import.meta.dirname, "..");
const options = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket as never },
};
let workdir: string;
let stack: RunningStack | undefined;
let admin: Sql;

before(async () => {
  workdir = mkdtempSync(join(tmpdir(), "basekit-demo-"));
  chmodSync(workdir, 0o755);
  cpSync(join(root, "supabase"), join(workdir, "supabase"), { recursive: true, filter: (path) => !path.includes(".temp") });
  const overrides = {
    apiPort: await freePort(),
    dbPort: await freePort(),
    mailPort: await freePort(),
    stateDir: join(workdir, ".basekit"),
  };
  const bare = { ...process.env, NOTIFICATIONS_PROCESSOR_URL: "", NOTIFICATIONS_PROCESSOR_KEY: "" };
  const demoEnv = { ...bare, ...notificationProcessorEnv(loadConfig(workdir, overrides, bare), bare) };
  stack = await startStack(
    loadConfig(workdir, overrides, demoEnv),
    createLogger({ demo: workdir }, () => {}, "error"),
    {
      progress: () => {},
    },
  );
  admin = connect(stack.db.adminUrl, { max: 1 });
});

after(async () => {
  await admin?.end();
  await stack?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

test("the demo's Vault secrets point at its own processor with its service role key", async () => {
  const secrets = await admin<{ name: string; decrypted_secret: string }[]>`
    select name, decrypted_secret from vault.decrypted_secrets where name like 'notification_processor_%' order by name`;
  assert.deepEqual(
    secrets.map((secret) => [secret.name, secret.decrypted_secret]),
    [
      ["notification_processor_key", stack?.keys.serviceRoleKey],
      ["notification_processor_url", `${stack?.apiUrl}/functions/v1/notification-processor`],
    ],
  );
});

test("a message reaches the recipient's bell with nobody running the processor", async () => {
  const running = stack as RunningStack;
  const service = createClient(running.apiUrl, running.keys.serviceRoleKey, options);
  const users = [];
  for (const name of ["sender", "recipient"]) {
    const email = `${name}-${Date.now()}@example.com`;
    const password = "Password-123-demo";
    const created = await service.auth.admin.createUser({
      email,
      password,
      email_confirm: true,
      user_metadata: { username: `${name}_${Date.now()}` },
    });
    assert.ifError(created.error);
    const client = createClient(running.apiUrl, running.keys.anonKey, options);
    assert.ifError((await client.auth.signInWithPassword({ email, password })).error);
    users.push({ id: created.data.user.id, client });
  }
  const [sender, recipient] = users;
  const room = await sender.client.rpc("get_or_create_direct_room", { other_user_id: recipient.id });
  assert.ifError(room.error);
  const sent = await sender.client.from("messages").insert({ room_id: room.data, body: "ping from the demo" }).select("id").single();
  assert.ifError(sent.error);

  let rows: { type: string; body: string }[] = [];
  // Bounded: the enqueue kick answers within a second and cron ticks every 10 s.
  for (let attempt = 0; attempt < 240 && !rows.some((row) => row.type === "new_message"); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { data, error } = await recipient.client.from("notifications").select("type, body");
    assert.ifError(error);
    rows = data;
  }
  const messages = rows.filter((row) => row.type === "new_message");
  assert.equal(messages.length, 1, `notifications seen: ${JSON.stringify(rows)}`);
  assert.match(messages[0].body, /ping from the demo/);
});
