import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

/** POST /object/copy as a user, with the body fields and headers storage-js does not send. */
async function copyRaw(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(`${fx.stack.apiUrl}/storage/v1/object/copy`, {
    method: "POST",
    headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const metadataHeader = (value: unknown) => ({ "x-metadata": Buffer.from(JSON.stringify(value)).toString("base64") });

test("a copy keeps the source's content type, cache control and user metadata by default", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/source.json`, new Blob(['{"a":1}'], { type: "application/json" }), {
    cacheControl: "120",
    metadata: { kind: "report" },
  });
  const copied = await files.copy(`${user.id}/source.json`, `${user.id}/copy.json`);
  assert.equal(copied.error, null);
  const row = await fx.objectRow("documents", `${user.id}/copy.json`);
  const metadata = row?.metadata as { mimetype: string; cacheControl: string } | undefined;
  assert.equal(metadata?.mimetype, "application/json");
  assert.equal(metadata?.cacheControl, "max-age=120");
  assert.deepEqual(row?.user_metadata, { kind: "report" });
});

test("copyMetadata false: the body's metadata and the x-metadata header describe the copy; the source is untouched", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/plain.txt`, Buffer.from("hello"), { contentType: "text/plain", metadata: { kind: "old" } });
  const before = await fx.objectRow("documents", `${user.id}/plain.txt`);
  const { status, body } = await copyRaw(
    user.token,
    {
      bucketId: "documents",
      sourceKey: `${user.id}/plain.txt`,
      destinationKey: `${user.id}/plain.md`,
      copyMetadata: false,
      metadata: { mimetype: "text/markdown", cacheControl: "max-age=5" },
    },
    metadataHeader({ kind: "new" }),
  );
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.Key, `documents/${user.id}/plain.md`);
  const copy = await fx.objectRow("documents", `${user.id}/plain.md`);
  const metadata = copy?.metadata as { mimetype: string; cacheControl: string; size: number } | undefined;
  assert.equal(metadata?.mimetype, "text/markdown");
  assert.equal(metadata?.cacheControl, "max-age=5");
  assert.equal(metadata?.size, 5);
  assert.deepEqual(copy?.user_metadata, { kind: "new" });
  assert.deepEqual(await fx.objectRow("documents", `${user.id}/plain.txt`), before);
  const downloaded = await files.download(`${user.id}/plain.md`);
  assert.equal(downloaded.data?.type, "text/markdown");
  assert.equal(await downloaded.data?.text(), "hello");
});

test("copy options it cannot honour, and copies the destination bucket would refuse, change nothing", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  await files.upload(`${user.id}/a.txt`, Buffer.from("text bytes"), { contentType: "text/plain" });
  await files.upload(`${user.id}/big.bin`, Buffer.alloc(70 * 1024, 1), { contentType: "application/octet-stream" });
  const base = { bucketId: "documents", sourceKey: `${user.id}/a.txt`, destinationKey: `${user.id}/b.txt` };
  const cases: [Record<string, unknown>, Record<string, string>, string, string][] = [
    [{ ...base, copyMetadata: "no" }, {}, "400", "body/copyMetadata must be boolean"],
    [{ ...base, metadata: "text/html" }, {}, "400", "body/metadata must be object"],
    [
      { ...base, copyMetadata: false, metadata: { contentType: "text/html" } },
      {},
      "400",
      "body/metadata must NOT have additional properties: contentType",
    ],
    [{ ...base, copyMetadata: false, metadata: { mimetype: 7 } }, {}, "400", "body/metadata/mimetype must be string"],
    [{ ...base, metadata: { mimetype: "text/html" } }, {}, "400", "metadata and x-metadata apply only with copyMetadata: false"],
    [base, metadataHeader({ kind: "lost" }), "400", "metadata and x-metadata apply only with copyMetadata: false"],
    // A renamed type cannot slip into an images-only bucket by copy, nor an object over its size limit.
    [{ ...base, destinationBucket: "avatars", destinationKey: `${user.id}/a.png` }, {}, "415", "mime type text/plain is not supported"],
    [
      {
        ...base,
        sourceKey: `${user.id}/big.bin`,
        destinationBucket: "avatars",
        destinationKey: `${user.id}/big.png`,
        copyMetadata: false,
        metadata: { mimetype: "image/png" },
      },
      {},
      "413",
      "The object exceeded the maximum allowed size",
    ],
  ];
  for (const [body, headers, statusCode, message] of cases) {
    await fx.unchanged(async () => {
      const refused = await copyRaw(user.token, body, headers);
      assert.equal(refused.status, 400, message);
      assert.equal(refused.body.statusCode, statusCode, message);
      assert.equal(refused.body.message, message);
    });
  }
  assert.equal(await fx.objectRow("documents", `${user.id}/b.txt`), undefined);
  assert.equal(await fx.objectRow("avatars", `${user.id}/a.png`), undefined);
});
