// The kit's per-user quota (supabase/migrations/*_files_and_storage_quota.sql) as a client meets
// it through the unmodified storage-js and TUS, on the project npm test started.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import postgres from "postgres";
import { client } from "./storage-test-kit.ts";

const url = process.env.SUPABASE_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";
const serviceRoleKey = process.env.SUPABASE_SERVICE_ROLE_KEY ?? "";
const dbUrl = process.env.SUPABASE_DB_URL ?? "";

async function userWithQuota(quotaBytes: number) {
  const admin = client(url, serviceRoleKey);
  const email = `quota-${randomUUID()}@example.com`;
  const password = `Pw1-${randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  assert.equal(created.error, null);
  const id = created.data.user?.id ?? "";
  const quota = await admin.from("storage_quotas").insert({ user_id: id, quota_bytes: quotaBytes });
  assert.equal(quota.error, null);
  const session = await client(url, anonKey).auth.signInWithPassword({ email, password });
  const token = session.data.session?.access_token ?? "";
  return { id, token, storage: client(url, anonKey, token).storage.from("avatars") };
}

const EXCEEDED = "Storage quota exceeded: 600 of 1000 bytes used, this file needs 500";

test("an upload past the user's quota is refused with Storage's 403 and stores nothing, whichever way it comes", async () => {
  assert.ok(url && dbUrl, "npm test sets SUPABASE_URL and SUPABASE_DB_URL");
  const user = await userWithQuota(1000);
  const first = await user.storage.upload(`${user.id}/first.png`, Buffer.alloc(600, 1), { contentType: "image/png" });
  assert.equal(first.error, null);

  // A raw body declares its length: refused before it is read.
  const raw = await user.storage.upload(`${user.id}/raw.png`, Buffer.alloc(500, 2), { contentType: "image/png" });
  assert.equal((raw.error as { statusCode?: string } | null)?.statusCode, "403");
  assert.equal(raw.error?.message, EXCEEDED);
  // A multipart body is measured as it arrives: refused when its row is written.
  const blob = await user.storage.upload(`${user.id}/blob.png`, new Blob([Buffer.alloc(500, 3)], { type: "image/png" }));
  assert.equal((blob.error as { statusCode?: string } | null)?.statusCode, "403");
  assert.equal(blob.error?.message, EXCEEDED);
  // Resumable: the Upload-Length is checked when the upload is created.
  const tus = await fetch(`${url}/storage/v1/upload/resumable`, {
    method: "POST",
    headers: {
      apikey: anonKey,
      authorization: `Bearer ${user.token}`,
      "tus-resumable": "1.0.0",
      "upload-length": "500",
      "upload-metadata": `bucketName ${Buffer.from("avatars").toString("base64")},objectName ${Buffer.from(`${user.id}/tus.png`).toString("base64")},contentType ${Buffer.from("image/png").toString("base64")}`,
    },
  });
  assert.equal(tus.status, 403);
  assert.equal(await tus.text(), EXCEEDED);
  // Replacing the one object counts only the new size.
  const replaced = await user.storage.update(`${user.id}/first.png`, Buffer.alloc(1000, 4), { contentType: "image/png" });
  assert.equal(replaced.error, null);

  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select name, (metadata->>'size')::int as size from storage.objects where owner_id = ${user.id}`;
    assert.deepEqual(
      rows.map((row) => ({ ...row })),
      [{ name: `${user.id}/first.png`, size: 1000 }],
    );
  } finally {
    await sql.end({ timeout: 5 });
  }
});
