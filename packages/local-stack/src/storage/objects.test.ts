import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

test("a user uploads a Buffer (raw body) and a Blob (multipart) and downloads the same bytes", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const raw = await files.upload(`${user.id}/notes.txt`, Buffer.from("hello raw"), { contentType: "text/plain", cacheControl: "60" });
  assert.equal(raw.error, null);
  assert.equal(raw.data?.path, `${user.id}/notes.txt`);
  assert.equal(raw.data?.fullPath, `documents/${user.id}/notes.txt`);
  const blob = await files.upload(`${user.id}/data.json`, new Blob(['{"a":1}'], { type: "application/json" }), {
    metadata: { kind: "test" },
  });
  assert.equal(blob.error, null);

  const downloaded = await files.download(`${user.id}/notes.txt`);
  assert.equal(await downloaded.data?.text(), "hello raw");
  assert.equal(downloaded.data?.type, "text/plain");
  const json = await files.download(`${user.id}/data.json`);
  assert.equal(await json.data?.text(), '{"a":1}');

  const row = await fx.objectRow("documents", `${user.id}/data.json`);
  assert.equal(row?.owner_id, user.id);
  assert.deepEqual(row?.user_metadata, { kind: "test" });
  assert.equal((row?.metadata as { mimetype?: string } | undefined)?.mimetype, "application/json");
});

test("upload of an existing key is 409 unless upserting; update replaces the bytes", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const key = `${user.id}/doc.txt`;
  await files.upload(key, Buffer.from("v1"), { contentType: "text/plain" });
  const again = await files.upload(key, Buffer.from("v2"), { contentType: "text/plain" });
  assert.equal((again.error as { statusCode?: string } | null)?.statusCode, "409");
  assert.equal(await (await files.download(key)).data?.text(), "v1");
  const upserted = await files.upload(key, Buffer.from("v3"), { contentType: "text/plain", upsert: true });
  assert.equal(upserted.error, null);
  assert.equal(await (await files.download(key)).data?.text(), "v3");
  const updated = await files.update(key, Buffer.from("v4!"), { contentType: "text/plain" });
  assert.equal(updated.error, null);
  assert.equal(await (await files.download(key)).data?.text(), "v4!");
});

test("info, exists, list with prefix/limit/offset/sortBy/search and remove", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  for (const name of ["b.txt", "a.txt", "c.md", "sub/deep.txt"])
    await files.upload(`${user.id}/${name}`, Buffer.from(name), { contentType: "text/plain", cacheControl: "120" });

  const info = await files.info(`${user.id}/a.txt`);
  assert.equal(info.error, null);
  assert.equal(info.data?.size, 5);
  assert.equal(info.data?.contentType, "text/plain");
  assert.equal(info.data?.cacheControl, "max-age=120");
  assert.equal(info.data?.bucketId, "documents");

  assert.equal((await files.exists(`${user.id}/a.txt`)).data, true);
  assert.equal((await files.exists(`${user.id}/nope.txt`)).data, false);

  const listed = await files.list(user.id);
  assert.deepEqual(
    listed.data?.map((entry) => entry.name),
    ["a.txt", "b.txt", "c.md", "sub"],
  );
  const folder = listed.data?.find((entry) => entry.name === "sub");
  assert.equal(folder?.id, null);
  const page = await files.list(user.id, { limit: 2, offset: 1, sortBy: { column: "name", order: "desc" } });
  assert.deepEqual(
    page.data?.map((entry) => entry.name),
    ["c.md", "b.txt"],
  );
  const searched = await files.list(user.id, { search: "B." });
  assert.deepEqual(
    searched.data?.map((entry) => entry.name),
    ["b.txt"],
  );

  const removed = await files.remove([`${user.id}/a.txt`, `${user.id}/missing.txt`]);
  assert.equal(removed.error, null);
  assert.deepEqual(
    removed.data?.map((row) => row.name),
    [`${user.id}/a.txt`],
  );
  assert.equal(await fx.objectRow("documents", `${user.id}/a.txt`), undefined);
  assert.equal((await files.download(`${user.id}/a.txt`)).error?.message, "The resource was not found");
});

test("public buckets serve reads without a token; private ones do not", async () => {
  const user = await fx.signIn();
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
  const up = await user.client.storage.from("avatars").upload(`${user.id}/me.png`, png, { contentType: "image/png" });
  assert.equal(up.error, null);
  const { publicUrl } = fx.anon.storage.from("avatars").getPublicUrl(`${user.id}/me.png`).data;
  const response = await fetch(publicUrl);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "image/png");
  assert.ok(response.headers.get("etag"));
  assert.ok(response.headers.get("last-modified"));
  assert.deepEqual(Buffer.from(await response.arrayBuffer()), png);

  await user.client.storage.from("documents").upload(`${user.id}/secret.txt`, Buffer.from("s"), { contentType: "text/plain" });
  const privateUrl = fx.anon.storage.from("documents").getPublicUrl(`${user.id}/secret.txt`).data.publicUrl;
  const refused = await fetch(privateUrl);
  assert.equal(refused.status, 400);
  assert.deepEqual(await refused.json(), {
    statusCode: "404",
    code: "NoSuchBucket",
    error: "Bucket not found",
    message: "Bucket not found",
  });
});

test("Range, If-None-Match and download= headers", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/range.txt`;
  await user.client.storage.from("documents").upload(key, Buffer.from("0123456789"), { contentType: "text/plain" });
  const url = `${fx.stack.apiUrl}/storage/v1/object/documents/${key}`;
  const headers = { authorization: `Bearer ${user.token}`, apikey: fx.stack.keys.anonKey };
  const part = await fetch(url, { headers: { ...headers, range: "bytes=2-5" } });
  assert.equal(part.status, 206);
  assert.equal(part.headers.get("content-range"), "bytes 2-5/10");
  assert.equal(await part.text(), "2345");
  const tail = await fetch(url, { headers: { ...headers, range: "bytes=-3" } });
  assert.equal(await tail.text(), "789");
  const full = await fetch(`${url}?download=report.txt`, { headers });
  assert.match(full.headers.get("content-disposition") ?? "", /attachment; filename="report.txt"/);
  const etag = full.headers.get("etag") ?? "";
  const cached = await fetch(url, { headers: { ...headers, "if-none-match": etag } });
  assert.equal(cached.status, 304);
});

test("move and copy keep the bytes, and the copy is independent", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/from.txt`, Buffer.from("moving"), { contentType: "text/plain" });
  const moved = await files.move(`${user.id}/from.txt`, `${user.id}/to.txt`);
  assert.equal(moved.error, null);
  assert.equal(moved.data?.message, "Successfully moved");
  assert.equal((await files.exists(`${user.id}/from.txt`)).data, false);
  assert.equal(await (await files.download(`${user.id}/to.txt`)).data?.text(), "moving");

  const copied = await files.copy(`${user.id}/to.txt`, `${user.id}/copy.txt`);
  assert.equal(copied.data?.path, `documents/${user.id}/copy.txt`);
  await files.remove([`${user.id}/to.txt`]);
  assert.equal(await (await files.download(`${user.id}/copy.txt`)).data?.text(), "moving");
});
