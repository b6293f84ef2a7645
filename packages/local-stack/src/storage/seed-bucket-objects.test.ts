import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import postgres from "postgres";
import sharp from "sharp";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { client } from "./storage-test-kit.ts";

const CONFIG = `project_id = "storage-seed"

[storage.buckets.images]
public = true
allowed_mime_types = ["image/png"]
objects_path = "./seed/images"

[storage.buckets.docs]
public = false
objects_path = "./seed/docs"
`;

let stack: FixtureStack;
let sql: postgres.Sql;
let project: string;
let png: Buffer;
before(async () => {
  project = mkdtempSync(join(tmpdir(), "basekit-seed-"));
  const seed = join(project, "supabase", "seed");
  mkdirSync(join(seed, "images", "icons"), { recursive: true });
  mkdirSync(join(seed, "docs"), { recursive: true });
  png = await sharp({ create: { width: 4, height: 4, channels: 3, background: "blue" } })
    .png()
    .toBuffer();
  writeFileSync(join(seed, "images", "logo.png"), png);
  writeFileSync(join(seed, "images", "icons", "small.png"), png);
  // Text named .png: its bytes say what it is, so the images-only bucket refuses it.
  writeFileSync(join(seed, "images", "renamed.png"), "MZ this is not an image");
  writeFileSync(join(seed, "docs", "readme.md"), "# hello");
  stack = await startFixtureStack({ projectDir: project, files: { "config.toml": CONFIG } });
  sql = postgres(stack.db.adminUrl, { max: 1, onnotice: () => {} });
});
after(async () => {
  await sql?.end({ timeout: 5 });
  await stack?.dispose();
  rmSync(project, { recursive: true, force: true });
});

test("objects_path files are uploaded to <bucket>/<relative path> with the type their bytes show", async () => {
  const rows = await sql<{ bucket_id: string; name: string; mimetype: string; size: number }[]>`
    select bucket_id, name, metadata->>'mimetype' as mimetype, (metadata->>'size')::int as size
    from storage.objects order by bucket_id, name`;
  assert.deepEqual(
    [...rows],
    [
      { bucket_id: "docs", name: "readme.md", mimetype: "text/markdown; charset=utf-8", size: 7 },
      { bucket_id: "images", name: "icons/small.png", mimetype: "image/png", size: png.length },
      { bucket_id: "images", name: "logo.png", mimetype: "image/png", size: png.length },
    ],
  );
  const anon = client(stack.apiUrl, stack.keys.anonKey);
  const logo = await fetch(anon.storage.from("images").getPublicUrl("logo.png").data.publicUrl);
  assert.deepEqual(Buffer.from(await logo.arrayBuffer()), png);
  const service = client(stack.apiUrl, stack.keys.serviceRoleKey);
  assert.equal(await (await service.storage.from("docs").download("readme.md")).data?.text(), "# hello");
});
