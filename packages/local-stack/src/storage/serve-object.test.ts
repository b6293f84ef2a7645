import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

const ACTIVE = [
  { key: "page.html", type: "text/html", served: "text/plain", bytes: "<script>alert(document.cookie)</script>" },
  {
    key: "image.svg",
    type: "image/svg+xml",
    served: "image/svg+xml",
    bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  },
  {
    key: "page.xhtml",
    type: "application/xhtml+xml",
    served: "application/xhtml+xml",
    bytes: '<html xmlns="http://www.w3.org/1999/xhtml"/>',
  },
  { key: "data.xml", type: "application/xml", served: "application/xml", bytes: "<a/>" },
  { key: "app.js", type: "text/javascript", served: "text/javascript", bytes: "alert(1)" },
];
const PASSIVE = [
  { key: "photo.png", type: "image/png", served: "image/png", bytes: "\x89PNG" },
  { key: "notes.txt", type: "text/plain", served: "text/plain", bytes: "<script>alert(1)</script>" },
];

test("active content is sandboxed and never sniffed; the bytes are served unchanged", async () => {
  const bucket = `served-${randomUUID()}`;
  assert.equal((await fx.service.storage.createBucket(bucket, { public: true })).error, null);
  const files = fx.service.storage.from(bucket);
  for (const file of [...ACTIVE, ...PASSIVE]) {
    const { error } = await files.upload(file.key, Buffer.from(file.bytes, "latin1"), { contentType: file.type });
    assert.equal(error, null, file.key);
  }
  const serviceHeaders = { apikey: fx.stack.keys.serviceRoleKey };
  for (const file of [...ACTIVE, ...PASSIVE]) {
    const signed = await files.createSignedUrl(file.key, 60);
    const urls: [string, Record<string, string>][] = [
      [files.getPublicUrl(file.key).data.publicUrl, {}],
      [`${fx.stack.apiUrl}/storage/v1/object/authenticated/${bucket}/${file.key}`, serviceHeaders],
      [`${fx.stack.apiUrl}/storage/v1/object/${bucket}/${file.key}`, serviceHeaders],
      [signed.data?.signedUrl ?? "", {}],
    ];
    for (const [url, headers] of urls) {
      const response = await fetch(url, { headers });
      const where = `${file.key} from ${new URL(url).pathname}`;
      assert.equal(response.status, 200, where);
      assert.equal(response.headers.get("x-content-type-options"), "nosniff", where);
      const active = ACTIVE.includes(file);
      assert.equal(response.headers.get("content-security-policy"), active ? "sandbox" : null, where);
      assert.equal(response.headers.get("content-type"), file.served, where);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.from(file.bytes, "latin1"), where);
    }
  }
  const info = await files.info("page.html");
  assert.equal(info.data?.contentType, "text/html", "the stored type is kept");
});

test("ranges, 304s and error answers carry nosniff too", async () => {
  const bucket = `served-${randomUUID()}`;
  await fx.service.storage.createBucket(bucket, { public: true });
  await fx.service.storage.from(bucket).upload("image.svg", Buffer.from("<svg/>"), { contentType: "image/svg+xml" });
  const url = fx.service.storage.from(bucket).getPublicUrl("image.svg").data.publicUrl;
  const partial = await fetch(url, { headers: { range: "bytes=0-1" } });
  assert.equal(partial.status, 206);
  assert.equal(await partial.text(), "<s");
  assert.equal(partial.headers.get("content-security-policy"), "sandbox");
  assert.equal(partial.headers.get("x-content-type-options"), "nosniff");
  const notModified = await fetch(url, { headers: { "if-none-match": partial.headers.get("etag") ?? "" } });
  assert.equal(notModified.status, 304);
  assert.equal(notModified.headers.get("x-content-type-options"), "nosniff");
  const missing = await fetch(`${url}.missing`);
  assert.equal((await missing.json()).code, "NoSuchKey");
  assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
});
