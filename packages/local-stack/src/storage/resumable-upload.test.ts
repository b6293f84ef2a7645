import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import * as tus from "tus-js-client";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  // The 50 MB upload needs more than the fixture's usual 4 MiB.
  fx = await startStorageFixture({ fileSizeLimit: "60MiB" });
});
after(() => fx?.dispose());

const endpoint = () => `${fx.stack.apiUrl}/storage/v1/upload/resumable`;
const headersFor = (token: string) => ({ apikey: fx.stack.keys.anonKey, authorization: `Bearer ${token}` });
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const encodeMetadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `${name} ${Buffer.from(value).toString("base64")}`)
    .join(",");

/** A raw TUS request, for the steps and attacks tus-js-client would never send. */
async function tusRequest(url: string, method: string, token: string | undefined, headers: Record<string, string> = {}, body?: Buffer) {
  const response = await fetch(url, {
    method,
    headers: {
      "tus-resumable": "1.0.0",
      apikey: fx.stack.keys.anonKey,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body ? new Uint8Array(body) : undefined,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function createUpload(token: string, bucketName: string, objectName: string, length: number, extra: Record<string, string> = {}) {
  return tusRequest(endpoint(), "POST", token, {
    "upload-length": String(length),
    "upload-metadata": encodeMetadata({ bucketName, objectName, contentType: "application/octet-stream", ...extra }),
  });
}

const patch = (url: string, token: string | undefined, offset: number, bytes: Buffer) =>
  tusRequest(url, "PATCH", token, { "upload-offset": String(offset), "content-type": "application/offset+octet-stream" }, bytes);

test("a 50 MB tus-js-client upload dropped midway resumes where it stopped and stores the exact bytes", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/large.bin`;
  const source = randomBytes(50 * 1000 * 1000);
  const options = {
    endpoint: endpoint(),
    headers: headersFor(user.token),
    chunkSize: 6 * 1024 * 1024,
    metadata: { bucketName: "documents", objectName: key, contentType: "application/octet-stream", cacheControl: "3600" },
    retryDelays: [] as number[],
  };
  // The first attempt drops its connection once 20 MB are through.
  const uploadUrl = await new Promise<string>((resolve, reject) => {
    const first: tus.Upload = new tus.Upload(source, {
      ...options,
      onProgress(sent) {
        if (sent > 20 * 1000 * 1000 && first.url) {
          const url = first.url;
          first.abort(false).then(() => resolve(url), reject);
        }
      },
      onSuccess: () => reject(new Error("the upload finished before it was interrupted")),
      onError: reject,
    });
    first.start();
  });
  assert.equal(await fx.objectRow("documents", key), undefined, "no object before the upload completes");
  const head = await tusRequest(uploadUrl, "HEAD", user.token);
  assert.equal(head.status, 200);
  const offset = Number(head.headers.get("upload-offset"));
  assert.ok(offset > 0 && offset < source.length, `resumes from ${offset}`);

  let resumedFrom = -1;
  const methods: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const second = new tus.Upload(source, {
      ...options,
      uploadUrl,
      onBeforeRequest(request) {
        methods.push(request.getMethod());
      },
      onProgress(sent) {
        if (resumedFrom < 0) resumedFrom = sent;
      },
      onSuccess: () => resolve(),
      onError: reject,
    });
    second.start();
  });
  assert.equal(methods[0], "HEAD", "the second attempt asked where to resume");
  assert.ok(!methods.includes("POST"), "and made no new upload");
  assert.ok(resumedFrom >= offset, `the second attempt sent only what was missing (from ${resumedFrom})`);
  const row = await fx.objectRow("documents", key);
  assert.equal(row?.owner_id, user.id);
  const metadata = row?.metadata as { size: number; mimetype: string; cacheControl: string };
  assert.equal(metadata.size, source.length);
  assert.equal(metadata.cacheControl, "max-age=3600");
  const downloaded = await user.client.storage.from("documents").download(key);
  assert.equal(sha256(new Uint8Array(await (downloaded.data as Blob).arrayBuffer())), sha256(source));
});

test("another user, anon or a bad token cannot inspect, extend or cancel someone's upload", async () => {
  const owner = await fx.signIn();
  const intruder = await fx.signIn();
  const key = `${owner.id}/mine.txt`;
  const created = await createUpload(owner.token, "documents", key, 10);
  assert.equal(created.status, 201, created.text);
  const url = created.headers.get("location") ?? "";
  assert.match(url, /\/storage\/v1\/upload\/resumable\/[0-9a-f]{32}$/);
  assert.equal((await patch(url, owner.token, 0, Buffer.from("owner"))).status, 204);

  for (const token of [intruder.token, undefined]) {
    assert.equal((await tusRequest(url, "HEAD", token)).status, 404);
    // A large refused body is drained unread: the answer still arrives.
    assert.equal((await patch(url, token, 5, Buffer.alloc(2 * 1024 * 1024, 0x45))).status, 404);
    assert.equal((await tusRequest(url, "DELETE", token)).status, 404);
  }
  const forged = await patch(url, "not-a-jwt", 5, Buffer.from("EVIL!"));
  assert.equal(forged.status, 403);

  const head = await tusRequest(url, "HEAD", owner.token);
  assert.equal(head.headers.get("upload-offset"), "5");
  assert.equal((await patch(url, owner.token, 5, Buffer.from(" data"))).status, 204);
  const row = await fx.objectRow("documents", key);
  assert.equal(row?.owner_id, owner.id);
  const downloaded = await owner.client.storage.from("documents").download(key);
  assert.equal(await downloaded.data?.text(), "owner data");
});

test("uploads the caller may not make are refused before any byte is stored", async () => {
  const user = await fx.signIn();
  const other = await fx.signIn();
  const cases: [() => ReturnType<typeof tusRequest>, number, string][] = [
    // RLS: another user's folder, as a normal upload would be refused.
    [
      () => createUpload(user.token, "documents", `${other.id}/planted.txt`, 4),
      403,
      `new row violates row-level security policy for table "objects"`,
    ],
    [
      () => createUpload(fx.stack.keys.anonKey, "documents", `${user.id}/anon.txt`, 4),
      403,
      `new row violates row-level security policy for table "objects"`,
    ],
    // The bucket's limit and types, known from Upload-Length and the metadata before any data.
    [
      () => createUpload(user.token, "avatars", `${user.id}/big.png`, 65 * 1024, { contentType: "image/png" }),
      413,
      "The object exceeded the maximum allowed size",
    ],
    [
      () => createUpload(user.token, "avatars", `${user.id}/a.png`, 4, { contentType: "application/x-msdownload" }),
      415,
      "mime type application/x-msdownload is not supported",
    ],
    [() => createUpload(user.token, "missing-bucket", `${user.id}/a.txt`, 4), 404, "Bucket not found"],
    [
      () => createUpload(user.token, "documents", `${user.id}/../${other.id}/x.txt`, 4),
      400,
      `Invalid key: ${user.id}/../${other.id}/x.txt`,
    ],
    [
      () =>
        tusRequest(endpoint(), "POST", user.token, {
          "upload-length": "4",
          "upload-metadata": encodeMetadata({ bucketName: "documents" }),
        }),
      400,
      "Upload-Metadata must name bucketName and objectName",
    ],
    [
      () =>
        tusRequest(endpoint(), "POST", user.token, {
          "upload-defer-length": "1",
          "upload-metadata": encodeMetadata({ bucketName: "documents", objectName: `${user.id}/d.txt` }),
        }),
      400,
      "Upload-Length is required: deferred lengths are not accepted",
    ],
    [() => tusRequest(`${endpoint()}/..%2F..%2Fobjects`, "HEAD", user.token), 404, ""],
  ];
  for (const [attempt, status, message] of cases) {
    await fx.unchanged(async () => {
      const refused = await attempt();
      assert.equal(refused.status, status, refused.text);
      if (message) assert.equal(refused.text, message);
    });
  }
});

test("bytes past Upload-Length and an unfinished upload leave no object", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/short.txt`;
  const created = await createUpload(user.token, "documents", key, 4);
  const url = created.headers.get("location") ?? "";
  const over = await patch(url, user.token, 0, Buffer.from("too long"));
  assert.equal(over.status, 413);
  assert.equal((await patch(url, user.token, 0, Buffer.from("abc"))).status, 204);
  assert.equal(await fx.objectRow("documents", key), undefined, "3 of 4 bytes are not an object");
  // A key taken meanwhile is not overwritten by the upload's end unless it asked to upsert.
  await user.client.storage.from("documents").upload(key, Buffer.from("first"), { contentType: "text/plain" });
  const before = await fx.objectRow("documents", key);
  const last = await patch(url, user.token, 3, Buffer.from("d"));
  assert.equal(last.status, 409, last.text);
  assert.deepEqual(await fx.objectRow("documents", key), before);
  assert.equal(await (await user.client.storage.from("documents").download(key)).data?.text(), "first");
});
