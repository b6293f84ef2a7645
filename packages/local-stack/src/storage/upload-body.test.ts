import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

const MiB = 1024 * 1024;

interface Part {
  name: string;
  value: Buffer;
  /** Makes the part a file. */
  filename?: string;
}

/** A multipart/form-data body, one Buffer per part so it can be sent part by part. */
function multipart(parts: Part[]): { boundary: string; chunks: Buffer[] } {
  const boundary = `basekit-${randomUUID()}`;
  const chunks = parts.map((part) => {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ""}`;
    const type = part.filename ? "Content-Type: text/plain\r\n" : "";
    return Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      part.value,
      Buffer.from("\r\n"),
    ]);
  });
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { boundary, chunks };
}

const fields = (count: number) => Array.from({ length: count }, (_, i) => ({ name: `field${i}`, value: Buffer.alloc(MiB, "a") }));
const file = (text: string): Part => ({ name: "", value: Buffer.from(text), filename: "a.txt" });

interface Answer {
  status: number;
  body: Record<string, unknown>;
  /** Whether the whole body had been sent when the answer came. */
  sentAll: boolean;
}

/** POSTs a body one chunk at a time (waiting for the socket to take each), stopping as soon as the
 * server answers: a server that decides before reading answers while the body is still unsent. */
function postInChunks(path: string, headers: Record<string, string>, chunks: Buffer[]): Promise<Answer> {
  const url = new URL(fx.stack.apiUrl);
  const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  const req = request({
    host: url.hostname,
    port: url.port,
    path,
    method: "POST",
    headers: { ...headers, "content-length": String(length) },
  });
  let answered = false;
  const response = new Promise<Omit<Answer, "sentAll">>((resolve, reject) => {
    req.once("response", (res) => {
      answered = true;
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.once("error", reject);
  });
  return (async () => {
    for (const chunk of chunks) {
      if (answered) break;
      if (!req.write(chunk)) await Promise.race([once(req, "drain"), response]);
    }
    const sentAll = !answered;
    if (sentAll) req.end();
    const answer = await response;
    if (!sentAll) req.destroy();
    return { ...answer, sentAll };
  })();
}

function assertStorageError(answer: Answer, statusCode: string, code: string, message: string | RegExp) {
  assert.equal(answer.status, 400);
  assert.equal(answer.body.statusCode, statusCode);
  assert.equal(answer.body.code, code);
  if (typeof message === "string") assert.equal(answer.body.message, message);
  else assert.match(String(answer.body.message), message);
}

test("a multipart upload the caller may not make is refused before its body is read", async () => {
  const user = await fx.signIn();
  const other = await fx.signIn();
  const cases: { who: string; headers: Record<string, string>; path: string; code: string; status: string }[] = [
    { who: "anon", headers: { apikey: fx.stack.keys.anonKey }, path: `documents/${user.id}/anon.txt`, code: "AccessDenied", status: "403" },
    {
      who: "another user's folder",
      headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${other.token}` },
      path: `documents/${user.id}/theirs.txt`,
      code: "AccessDenied",
      status: "403",
    },
    {
      who: "unknown bucket",
      headers: { apikey: fx.stack.keys.anonKey },
      path: "no-such-bucket/a.txt",
      code: "NoSuchBucket",
      status: "404",
    },
  ];
  for (const { who, headers, path, code, status } of cases) {
    await fx.unchanged(async () => {
      const { boundary, chunks } = multipart([...fields(64), file("never stored")]);
      const answer = await postInChunks(
        `/storage/v1/object/${path}`,
        { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` },
        chunks,
      );
      assert.equal(answer.sentAll, false, `${who}: answered only after the whole 64 MiB body`);
      assertStorageError(answer, status, code, /./);
    });
  }
  assert.equal(await fx.objectRow("documents", `${user.id}/theirs.txt`), undefined);
});

test("a multipart upload with more than 10 fields is refused and stores nothing", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/many-fields.txt`;
  await fx.unchanged(async () => {
    const { boundary, chunks } = multipart([...fields(64), file("never stored")]);
    const answer = await postInChunks(
      `/storage/v1/object/documents/${key}`,
      { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
      chunks,
    );
    assertStorageError(answer, "400", "InvalidRequest", "reach fields limit");
    assert.equal(answer.sentAll, false, "the whole body was read before the refusal");
  });
  assert.equal(await fx.objectRow("documents", key), undefined);
});

test("a multipart field over 1 MiB is 413 and stores nothing", async () => {
  const user = await fx.signIn();
  const headers = { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}` };
  const metadata = Buffer.from(JSON.stringify({ big: "x".repeat(MiB) }));
  for (const [field, value, entity] of [
    ["metadata", metadata, "user_metadata"],
    ["cacheControl", Buffer.alloc(MiB + 1, "9"), "cacheControl"],
  ] as const) {
    const key = `${user.id}/big-${field}.txt`;
    await fx.unchanged(async () => {
      const { boundary, chunks } = multipart([{ name: field, value }, file("never stored")]);
      const answer = await postInChunks(
        `/storage/v1/object/documents/${key}`,
        { ...headers, "content-type": `multipart/form-data; boundary=${boundary}` },
        chunks,
      );
      assertStorageError(answer, "413", "EntityTooLarge", `The ${entity} exceeded the maximum allowed size`);
    });
    assert.equal(await fx.objectRow("documents", key), undefined);
  }
});

test("a multipart upload within the limits still stores its file and fields", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/within-limits.txt`;
  const { boundary, chunks } = multipart([
    { name: "cacheControl", value: Buffer.from("120") },
    { name: "metadata", value: Buffer.from('{"kind":"limits"}') },
    ...fields(8),
    file("stored bytes"),
  ]);
  const answer = await postInChunks(
    `/storage/v1/object/documents/${key}`,
    { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}`, "content-type": `multipart/form-data; boundary=${boundary}` },
    chunks,
  );
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.sentAll, true);
  const row = await fx.objectRow("documents", key);
  assert.deepEqual(row?.user_metadata, { kind: "limits" });
  assert.equal((row?.metadata as { cacheControl?: string } | undefined)?.cacheControl, "max-age=120");
  assert.equal(await (await user.client.storage.from("documents").download(key)).data?.text(), "stored bytes");
});

const tempFiles = () => {
  try {
    return readdirSync(join(fx.stack.workdir, ".basekit", "storage", "tmp")).length;
  } catch {
    return 0;
  }
};

/** Waits for a state the server reaches on its own (no answer tells when), failing if it never
 * does. The bound is generous, a minute, so a loaded machine cannot fail it: it is not a timing. */
async function eventually(check: () => boolean, what: string) {
  const deadline = Date.now() + 60_000;
  while (!check() && Date.now() < deadline) await sleep(25);
  assert.ok(check(), what);
}

test("a client gone in the middle of a multipart file leaves no row, no object and no temp file", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/abandoned.txt`;
  await fx.unchanged(async () => {
    const { boundary, chunks } = multipart([{ name: "cacheControl", value: Buffer.from("60") }, file("x".repeat(256 * 1024))]);
    const body = Buffer.concat(chunks);
    const url = new URL(fx.stack.apiUrl);
    const req = request({
      host: url.hostname,
      port: url.port,
      path: `/storage/v1/object/documents/${key}`,
      method: "POST",
      headers: {
        apikey: fx.stack.keys.anonKey,
        authorization: `Bearer ${user.token}`,
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(body.length),
      },
    });
    req.on("error", () => {});
    req.write(body.subarray(0, body.length - 1024));
    await eventually(() => tempFiles() > 0, "the upload never started staging its file");
    req.destroy();
    await eventually(() => tempFiles() === 0, "the half-written file stays in storage/tmp");
  });
  assert.equal(await fx.objectRow("documents", key), undefined);
});
