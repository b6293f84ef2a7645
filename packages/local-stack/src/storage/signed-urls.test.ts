import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { SignJWT } from "jose";
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

/** Signs a token as the stack would, for shapes it no longer issues (tokens from before scopes). */
const signLegacy = (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(new TextEncoder().encode(fx.stack.keys.jwtSecret));

const tokenOf = (signedUrl: string) => new URL(signedUrl).searchParams.get("token") ?? "";

test("a signed download URL cannot upload: the object, its bytes and its owner stay as they were", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const key = `${user.id}/shared.txt`;
  await files.upload(key, Buffer.from("original"), { contentType: "text/plain" });
  const before = await fx.objectRow("documents", key);
  const { data } = await files.createSignedUrl(key, 60);
  const downloadToken = tokenOf(data?.signedUrl ?? "");

  await fx.unchanged(async () => {
    for (const token of [downloadToken, await signLegacy({ url: `documents/${key}` })]) {
      for (const upsert of [false, true]) {
        const { error } = await fx.anon.storage
          .from("documents")
          .uploadToSignedUrl(key, token, Buffer.from("replaced"), { contentType: "text/plain", upsert });
        assert.equal((error as { statusCode?: string } | null)?.statusCode, "400");
        assert.equal(error?.message, "Token is not scoped for upload");
      }
    }
    // A token claiming both scopes is what its scope says.
    const crafted = await signLegacy({ url: `documents/${key}`, scope: "download", upsert: true, owner: user.id });
    const { error } = await fx.anon.storage.from("documents").uploadToSignedUrl(key, crafted, Buffer.from("replaced"));
    assert.equal(error?.message, "Token is not scoped for upload");
  });
  const after = await fx.objectRow("documents", key);
  assert.equal(after?.owner_id, user.id);
  assert.equal(after?.version, before?.version);
  assert.equal(await (await files.download(key)).data?.text(), "original");
});

test("a signed upload token cannot download", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const key = `${user.id}/upload-only.txt`;
  const { data } = await files.createSignedUploadUrl(key);
  await files.uploadToSignedUrl(key, data?.token ?? "", Buffer.from("secret"), { contentType: "text/plain" });
  const response = await fetch(`${fx.stack.apiUrl}/storage/v1/object/sign/documents/${key}?token=${data?.token}`);
  const body = await response.json();
  assert.equal(body.code, "InvalidSignature");
  assert.equal(body.message, "Token is not scoped for download");
});

test("tokens from before scopes still work for their own action", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/legacy.txt`;
  const upload = await signLegacy({ owner: user.id, url: `documents/${key}`, upsert: false });
  const uploaded = await fx.anon.storage
    .from("documents")
    .uploadToSignedUrl(key, upload, Buffer.from("legacy"), { contentType: "text/plain" });
  assert.equal(uploaded.error, null);
  assert.equal((await fx.objectRow("documents", key))?.owner_id, user.id);
  const download = await signLegacy({ url: `documents/${key}` });
  const response = await fetch(`${fx.stack.apiUrl}/storage/v1/object/sign/documents/${key}?token=${download}`);
  assert.equal(await response.text(), "legacy");
});

test("an upsert by signed upload URL keeps the URL's issuer as owner", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const key = `${user.id}/reissued.txt`;
  await files.upload(key, Buffer.from("v1"), { contentType: "text/plain" });
  const { data } = await files.createSignedUploadUrl(key, { upsert: true });
  const replaced = await fx.anon.storage
    .from("documents")
    .uploadToSignedUrl(key, data?.token ?? "", Buffer.from("v2"), { contentType: "text/plain", upsert: true });
  assert.equal(replaced.error, null);
  const row = await fx.objectRow("documents", key);
  assert.equal(row?.owner_id, user.id);
  assert.equal(row?.owner, user.id);
  assert.equal(await (await files.download(key)).data?.text(), "v2");
});

test("a signed URL whose transformation cannot be honoured is refused rather than serving the original", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/picture.png`, Buffer.from("not really a png"), { contentType: "image/png" });
  const cases: [unknown, string][] = [
    [{ width: -1 }, "body/transform/width must be >= 0"],
    [{ resize: "stretch" }, "body/transform/resize must be equal to one of the allowed values"],
    [{ gravity: "ce" }, "The feature image transformation option gravity is not enabled for this resource"],
  ];
  for (const [transform, message] of cases) {
    const { data, error } = await files.createSignedUrl(`${user.id}/picture.png`, 60, { transform: transform as { width: number } });
    assert.equal(data, null);
    assert.equal(error?.message, message);
  }
  // storage-js drops a transform that is not an object; a raw request gets an answer, not the original.
  const raw = await fetch(`${fx.stack.apiUrl}/storage/v1/object/sign/documents/${user.id}/picture.png`, {
    method: "POST",
    headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}`, "content-type": "application/json" },
    body: JSON.stringify({ expiresIn: 60, transform: "wide" }),
  });
  assert.equal(raw.status, 400);
  assert.equal((await raw.json()).message, "body/transform must be object");
});
