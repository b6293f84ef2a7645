import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

async function userWithFiles(keys: string[]) {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  for (const key of keys) {
    const { error } = await files.upload(`${user.id}/${key}`, Buffer.from(key), { contentType: "text/plain" });
    assert.equal(error, null);
  }
  return { user, files };
}

test("listV2 folds keys into folders at the next slash and pages through them with its cursor", async () => {
  const { user, files } = await userWithFiles(["a.txt", "b/1.txt", "b/2.txt", "c.txt", "d/deep/x.txt", "e.txt"]);
  const seen: { folders: string[]; objects: string[] } = { folders: [], objects: [] };
  let cursor: string | undefined;
  let pages = 0;
  do {
    const { data, error } = await files.listV2({ prefix: `${user.id}/`, with_delimiter: true, limit: 2, cursor });
    assert.equal(error, null);
    seen.folders.push(...(data?.folders.map((folder) => folder.name) ?? []));
    seen.objects.push(...(data?.objects.map((object) => object.name) ?? []));
    for (const object of data?.objects ?? []) assert.equal(typeof object.id, "string");
    cursor = data?.hasNext ? data.nextCursor : undefined;
    pages += 1;
  } while (cursor);
  assert.equal(pages, 3);
  assert.deepEqual(seen.folders, [`${user.id}/b/`, `${user.id}/d/`]);
  assert.deepEqual(seen.objects, [`${user.id}/a.txt`, `${user.id}/c.txt`, `${user.id}/e.txt`]);

  const flat = await files.listV2({ prefix: `${user.id}/b`, sortBy: { column: "name", order: "desc" } });
  assert.deepEqual(
    flat.data?.objects.map((object) => object.name),
    [`${user.id}/b/2.txt`, `${user.id}/b/1.txt`],
  );
  assert.equal(flat.data?.hasNext, false);
  assert.deepEqual(flat.data?.folders, []);
});

test("listV2 sorted by creation date pages without repeating or skipping a key", async () => {
  const { user, files } = await userWithFiles(["3.txt", "1.txt", "2.txt", "0.txt"]);
  // Dates set apart explicitly, two of them equal, so the order is known and ties fall back to the key.
  const dates: [string, string][] = [
    ["3.txt", "2026-01-01T00:00:00.001Z"],
    ["1.txt", "2026-01-02T00:00:00Z"],
    ["2.txt", "2026-01-02T00:00:00Z"],
    ["0.txt", "2026-01-03T00:00:00Z"],
  ];
  for (const [name, date] of dates)
    await fx.sql`update storage.objects set created_at = ${date}::timestamptz where bucket_id = 'documents' and name = ${`${user.id}/${name}`}`;
  const names: string[] = [];
  let cursor: string | undefined;
  do {
    const { data } = await files.listV2({ prefix: `${user.id}/`, limit: 1, cursor, sortBy: { column: "created_at", order: "desc" } });
    names.push(...(data?.objects.map((object) => object.name) ?? []));
    cursor = data?.hasNext ? data.nextCursor : undefined;
  } while (cursor);
  assert.deepEqual(
    names,
    ["0.txt", "2.txt", "1.txt", "3.txt"].map((name) => `${user.id}/${name}`),
  );
});

test("listV2 shows only what the caller's policies let them read, and a prefix is literal", async () => {
  const { user } = await userWithFiles(["mine.txt", "a_b.txt", "axb.txt"]);
  const stranger = await fx.signIn();
  const { data } = await stranger.client.storage.from("documents").listV2({ prefix: `${user.id}/` });
  assert.deepEqual(data, { hasNext: false, folders: [], objects: [] });
  const literal = await user.client.storage.from("documents").listV2({ prefix: `${user.id}/a_` });
  assert.deepEqual(
    literal.data?.objects.map((object) => object.name),
    [`${user.id}/a_b.txt`],
  );
});

test("listV2 parameters it cannot honour are refused, not dropped", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const cases: [Record<string, unknown>, string][] = [
    [{ limit: 0 }, "body/limit must be >= 1"],
    [{ limit: "ten" }, "body/limit must be integer"],
    [{ with_delimiter: "yes" }, "body/with_delimiter must be boolean"],
    [{ sortBy: { column: "size" } }, "body/sortBy/column must be equal to one of the allowed values"],
    [{ sortBy: { column: "name", order: "up" } }, "body/sortBy/order must be equal to one of the allowed values"],
    [{ with_delimiter: true, sortBy: { column: "created_at" } }, "sortBy/column must be name when with_delimiter is true"],
    [{ cursor: "bm90IGEgY3Vyc29y" }, "Invalid Parameter continuation token"],
  ];
  for (const [options, message] of cases) {
    const { data, error } = await files.listV2(options as never);
    assert.equal(data, null);
    assert.equal(error?.message, message);
  }
});
