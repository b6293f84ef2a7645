import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

test("user A cannot read, list, overwrite, move or delete user B's files", async () => {
  const a = await fx.signIn();
  const b = await fx.signIn();
  const key = `${b.id}/private.txt`;
  assert.equal((await b.client.storage.from("documents").upload(key, Buffer.from("b's"), { contentType: "text/plain" })).error, null);
  const before = await fx.objectRow("documents", key);
  const files = a.client.storage.from("documents");

  const read = await files.download(key);
  assert.equal((read.error as { statusCode?: string } | null)?.statusCode, "404");
  assert.deepEqual((await files.list(b.id)).data, []);
  assert.equal((await files.info(key)).error?.message, "Object not found");
  assert.equal((await files.createSignedUrl(key, 60)).error?.message, "Object not found");

  const write = await files.upload(key, Buffer.from("a's"), { contentType: "text/plain", upsert: true });
  assert.equal((write.error as { statusCode?: string } | null)?.statusCode, "403");
  assert.match(write.error?.message ?? "", /row-level security/);
  const intoB = await files.upload(`${b.id}/planted.txt`, Buffer.from("x"), { contentType: "text/plain" });
  assert.equal((intoB.error as { statusCode?: string } | null)?.statusCode, "403");

  assert.deepEqual((await files.remove([key])).data, []);
  assert.equal((await files.move(key, `${a.id}/stolen.txt`)).error?.message, "Object not found");

  assert.deepEqual(await fx.objectRow("documents", key), before);
  assert.equal(await fx.objectRow("documents", `${b.id}/planted.txt`), undefined);
  assert.equal(await (await b.client.storage.from("documents").download(key)).data?.text(), "b's");
});

test("a user cannot move their own file into another user's folder", async () => {
  const a = await fx.signIn();
  const b = await fx.signIn();
  const files = a.client.storage.from("documents");
  await files.upload(`${a.id}/mine.txt`, Buffer.from("m"), { contentType: "text/plain" });
  const moved = await files.move(`${a.id}/mine.txt`, `${b.id}/mine.txt`);
  assert.equal((moved.error as { statusCode?: string } | null)?.statusCode, "403");
  assert.ok(await fx.objectRow("documents", `${a.id}/mine.txt`));
});

test("anon sees the public bucket's files only; service_role sees everything", async () => {
  const user = await fx.signIn();
  await user.client.storage.from("avatars").upload(`${user.id}/a.png`, Buffer.from("png"), { contentType: "image/png" });
  await user.client.storage.from("documents").upload(`${user.id}/d.txt`, Buffer.from("doc"), { contentType: "text/plain" });

  assert.deepEqual(
    (await fx.anon.storage.from("avatars").list(user.id)).data?.map((f) => f.name),
    ["a.png"],
  );
  assert.deepEqual((await fx.anon.storage.from("documents").list(user.id)).data, []);
  assert.equal((await fx.anon.storage.from("documents").download(`${user.id}/d.txt`)).data, null);
  const anonUpload = await fx.anon.storage.from("documents").upload(`${user.id}/anon.txt`, Buffer.from("x"), { contentType: "text/plain" });
  assert.equal((anonUpload.error as { statusCode?: string } | null)?.statusCode, "403");

  assert.equal(await (await fx.service.storage.from("documents").download(`${user.id}/d.txt`)).data?.text(), "doc");
  assert.deepEqual(
    (await fx.service.storage.from("documents").list(user.id)).data?.map((f) => f.name),
    ["d.txt"],
  );
});
