// A fixture project for the Storage tests: config.toml buckets, per-user folder policies on
// storage.objects, and helpers for signed-in supabase-js clients and direct database checks.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { createClient, type SupabaseClient } from "@supabase/supabase-js";
import postgres from "postgres";
import ws from "ws";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";

const config = (fileSizeLimit: string) => `project_id = "storage-fixture"

[storage]
file_size_limit = "${fileSizeLimit}"

[storage.buckets.avatars]
public = true
file_size_limit = "64KiB"
allowed_mime_types = ["image/png", "image/jpeg"]

[storage.buckets.documents]
public = false
`;

const POLICIES = `
create policy "users read files in their own folder" on storage.objects for select to authenticated
  using (bucket_id in ('documents', 'avatars') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "users add files to their own folder" on storage.objects for insert to authenticated
  with check (bucket_id in ('documents', 'avatars') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "users replace files in their own folder" on storage.objects for update to authenticated
  using (bucket_id in ('documents', 'avatars') and (storage.foldername(name))[1] = (select auth.uid()::text))
  with check (bucket_id in ('documents', 'avatars') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "users delete files in their own folder" on storage.objects for delete to authenticated
  using (bucket_id in ('documents', 'avatars') and (storage.foldername(name))[1] = (select auth.uid()::text));
create policy "anyone reads public avatars" on storage.objects for select to anon
  using (bucket_id = 'avatars');
`;

export interface StorageFixture {
  stack: FixtureStack;
  service: SupabaseClient;
  anon: SupabaseClient;
  sql: postgres.Sql;
  signIn(): Promise<{ client: SupabaseClient; id: string; token: string }>;
  /** Bytes stored on disk for an object, by its row. */
  objectRow(bucket: string, key: string): Promise<Record<string, unknown> | undefined>;
  /** Runs `work`, then checks that it added or removed no object row and no stored file. */
  unchanged(work: () => Promise<void>): Promise<void>;
  dispose(): Promise<void>;
}

export const client = (url: string, key: string, token?: string) =>
  createClient(url, key, {
    realtime: { transport: ws as never },
    auth: { persistSession: false, autoRefreshToken: false },
    global: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
  });

/** `fileSizeLimit`: `[storage] file_size_limit`, 4 MiB unless a test needs larger objects. */
export async function startStorageFixture(options: { fileSizeLimit?: string } = {}): Promise<StorageFixture> {
  const stack = await startFixtureStack({
    files: { "config.toml": config(options.fileSizeLimit ?? "4MiB"), "migrations/20260101000000_storage_policies.sql": POLICIES },
  });
  const service = client(stack.apiUrl, stack.keys.serviceRoleKey);
  const sql = postgres(stack.db.adminUrl, { max: 2, onnotice: () => {} });
  const countObjects = async () => (await sql`select count(*)::int as count from storage.objects`)[0].count as number;
  const countFiles = (folder: string) => {
    try {
      return readdirSync(join(stack.workdir, ".basekit", "storage", folder), { recursive: true }).length;
    } catch {
      return 0;
    }
  };
  // Unfinished resumable uploads count too: a refused one must leave nothing behind.
  const storedFiles = () => countFiles("objects") + countFiles("resumable");
  return {
    stack,
    service,
    anon: client(stack.apiUrl, stack.keys.anonKey),
    sql,
    async signIn() {
      const email = `storage-${randomUUID()}@example.com`;
      const password = "storage-password-1";
      const created = await service.auth.admin.createUser({ email, password, email_confirm: true });
      if (created.error) throw created.error;
      const user = client(stack.apiUrl, stack.keys.anonKey);
      const session = await user.auth.signInWithPassword({ email, password });
      if (session.error || !session.data.session) throw session.error ?? new Error("no session");
      const token = session.data.session.access_token;
      return { client: client(stack.apiUrl, stack.keys.anonKey, token), id: created.data.user.id, token };
    },
    async objectRow(bucket, key) {
      const [row] = await sql`select * from storage.objects where bucket_id = ${bucket} and name = ${key}`;
      return row;
    },
    async unchanged(work) {
      const rows = await countObjects();
      const files = storedFiles();
      await work();
      assert.equal(await countObjects(), rows, "rows changed");
      assert.equal(storedFiles(), files, "files changed");
    },
    async dispose() {
      await sql.end({ timeout: 5 });
      await stack.dispose();
    },
  };
}
