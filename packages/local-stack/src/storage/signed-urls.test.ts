import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

test("a signed URL reads a private object without credentials; a tampered token does not", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/signed.txt`, Buffer.from("signed bytes"), { contentType: "text/plain" });
  const { data, error } = await files.createSignedUrl(`${user.id}/signed.txt`, 60);
  assert.equal(error, null);
  const response = await fetch(data?.signedUrl ?? "");
  assert.equal(response.status, 200);
  assert.equal(await response.text(), "signed bytes");

  const other = (data?.signedUrl ?? "").replace("signed.txt?", "other.txt?");
  const refused = await fetch(other);
  assert.equal((await refused.json()).code, "InvalidSignature");
  const tampered = await fetch(`${data?.signedUrl.slice(0, -3)}abc`);
  assert.equal((await tampered.json()).message, "Invalid signature");
});

test("batch signed URLs report the keys the caller cannot see", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/one.txt`, Buffer.from("1"), { contentType: "text/plain" });
  const { data } = await files.createSignedUrls([`${user.id}/one.txt`, `${user.id}/missing.txt`], 60);
  assert.equal(data?.length, 2);
  assert.equal(data?.[0].error, null);
  assert.equal(await (await fetch(data?.[0].signedUrl ?? "")).text(), "1");
  assert.equal(data?.[1].error, "Either the object does not exist or you do not have access to it");
  assert.equal(data?.[1].signedUrl, null);
});

test("signed upload URLs: issued only when the caller may insert, then usable without credentials", async () => {
  const user = await fx.signIn();
  const other = await fx.signIn();
  const files = user.client.storage.from("documents");
  const denied = await files.createSignedUploadUrl(`${other.id}/nope.txt`);
  assert.equal((denied.error as { statusCode?: string } | null)?.statusCode, "403");

  const { data, error } = await files.createSignedUploadUrl(`${user.id}/via-url.txt`);
  assert.equal(error, null);
  const uploaded = await fx.anon.storage
    .from("documents")
    .uploadToSignedUrl(`${user.id}/via-url.txt`, data?.token ?? "", Buffer.from("via url"), { contentType: "text/plain" });
  assert.equal(uploaded.error, null);
  const row = await fx.objectRow("documents", `${user.id}/via-url.txt`);
  assert.equal(row?.owner_id, user.id);
  assert.equal(await (await files.download(`${user.id}/via-url.txt`)).data?.text(), "via url");

  const reused = await fx.anon.storage
    .from("documents")
    .uploadToSignedUrl(`${user.id}/elsewhere.txt`, data?.token ?? "", Buffer.from("x"), { contentType: "text/plain" });
  assert.equal((reused.error as { statusCode?: string } | null)?.statusCode, "400");
  assert.equal(await fx.objectRow("documents", `${user.id}/elsewhere.txt`), undefined);
});
