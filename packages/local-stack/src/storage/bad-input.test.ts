import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import { client, type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

/** POSTs with the path sent verbatim (fetch would resolve `..` and `%2e%2e` segments itself). */
function rawPost(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const url = new URL(fx.stack.apiUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: "POST", headers }, (res) => {
      let text = "";
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.once("error", reject);
    req.end(body);
  });
}

test("path traversal keys are refused with InvalidKey and store nothing", async () => {
  const headers = { apikey: fx.stack.keys.serviceRoleKey, "content-type": "text/plain" };
  await fx.unchanged(async () => {
    for (const key of [
      "../../etc/passwd",
      "%2e%2e/%2e%2e/etc/passwd",
      "a/%2E%2E/b.txt",
      "%2Fabsolute.txt",
      "a%00b.txt",
      "a%5Cb.txt",
      "./x.txt",
    ]) {
      const response = await rawPost(`/storage/v1/object/documents/${key}`, headers, "evil");
      assert.equal(response.status, 400, key);
      const body = JSON.parse(response.body);
      assert.equal(body.statusCode, "400", key);
      assert.equal(body.code, "InvalidKey", key);
      assert.match(body.message, /^Invalid key: /, key);
    }
    const moved = await fx.service.storage.from("documents").copy("x.txt", "../../escape.txt");
    assert.equal((moved.error as { statusCode?: string } | null)?.statusCode, "400");
  });
});

test("an upload over the bucket's file_size_limit is 413 and stores nothing", async () => {
  const user = await fx.signIn();
  await fx.unchanged(async () => {
    const big = Buffer.alloc(64 * 1024 + 1, 1);
    const raw = await user.client.storage.from("avatars").upload(`${user.id}/big.png`, big, { contentType: "image/png" });
    assert.equal((raw.error as { statusCode?: string } | null)?.statusCode, "413");
    assert.equal(raw.error?.message, "The object exceeded the maximum allowed size");
    const multipart = await user.client.storage.from("avatars").upload(`${user.id}/big2.png`, new Blob([big], { type: "image/png" }));
    assert.equal((multipart.error as { statusCode?: string } | null)?.statusCode, "413");
  });
});

test("the global [storage] file_size_limit applies to buckets without their own", async () => {
  await fx.unchanged(async () => {
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 2);
    const { error } = await fx.service.storage.from("documents").upload("huge.bin", big, { contentType: "application/octet-stream" });
    assert.equal((error as { statusCode?: string } | null)?.statusCode, "413");
  });
});

test("a mime type the bucket does not allow is 415 and stores nothing", async () => {
  const user = await fx.signIn();
  await fx.unchanged(async () => {
    const { error } = await user.client.storage
      .from("avatars")
      .upload(`${user.id}/x.txt`, Buffer.from("text"), { contentType: "text/plain" });
    assert.equal((error as { statusCode?: string } | null)?.statusCode, "415");
    assert.equal(error?.message, "mime type text/plain is not supported");
    const blob = await user.client.storage.from("avatars").upload(`${user.id}/y.gif`, new Blob(["gif"], { type: "image/gif" }));
    assert.equal((blob.error as { statusCode?: string } | null)?.statusCode, "415");
  });
});

test("an unknown bucket is 404 NoSuchBucket", async () => {
  await fx.unchanged(async () => {
    const { error } = await fx.service.storage.from("no-such-bucket").upload("a.txt", Buffer.from("a"), { contentType: "text/plain" });
    assert.equal((error as { statusCode?: string } | null)?.statusCode, "404");
    assert.equal(error?.message, "Bucket not found");
    assert.equal((await fx.service.storage.getBucket("no-such-bucket")).error?.message, "Bucket not found");
  });
});

test("a malformed or wrongly signed JWT is 403 AccessDenied and changes nothing", async () => {
  const forged = `${fx.stack.keys.serviceRoleKey.slice(0, -4)}AAAA`;
  for (const token of ["not-a-jwt", forged]) {
    const supabase = client(fx.stack.apiUrl, fx.stack.keys.anonKey, token);
    await fx.unchanged(async () => {
      const { error } = await supabase.storage.from("documents").upload("forged.txt", Buffer.from("x"), { contentType: "text/plain" });
      assert.equal((error as { statusCode?: string } | null)?.statusCode, "403");
      assert.match(error?.message ?? "", /invalid JWT/);
      const listed = await supabase.storage.from("documents").list("");
      assert.equal((listed.error as { statusCode?: string } | null)?.statusCode, "403");
    });
  }
});

test("a JSON body over 1 MiB is 413 and deletes nothing", async () => {
  const user = await fx.signIn();
  const key = `${user.id}/kept.txt`;
  await user.client.storage.from("documents").upload(key, Buffer.from("kept"), { contentType: "text/plain" });
  await fx.unchanged(async () => {
    const prefixes = [key, ...Array.from({ length: 999 }, (_, i) => `${user.id}/${String(i).padStart(1100, "x")}`)];
    const response = await fetch(`${fx.stack.apiUrl}/storage/v1/object/documents`, {
      method: "DELETE",
      headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ prefixes }),
    });
    assert.equal(response.status, 413);
    assert.deepEqual(await response.json(), {
      statusCode: "413",
      code: "EntityTooLarge",
      error: "FastifyError",
      message: "Request body is too large",
    });
  });
  assert.equal(await (await user.client.storage.from("documents").download(key)).data?.text(), "kept");
});

test("remove and batch sign take 1 to 1000 keys", async () => {
  const user = await fx.signIn();
  const files = user.client.storage.from("documents");
  const key = `${user.id}/one-of-many.txt`;
  await files.upload(key, Buffer.from("kept"), { contentType: "text/plain" });
  const many = [key, ...Array.from({ length: 1000 }, (_, i) => `${user.id}/${i}.txt`)];
  await fx.unchanged(async () => {
    for (const prefixes of [many, []]) {
      const { error } = await files.remove(prefixes);
      assert.equal((error as { statusCode?: string } | null)?.statusCode, "400");
    }
    const signed = await files.createSignedUrls(many, 60);
    assert.equal((signed.error as { statusCode?: string } | null)?.statusCode, "400");
  });
  assert.equal(await (await files.download(key)).data?.text(), "kept");
});

test("list refuses limits, offsets and sort orders outside Storage's schema", async () => {
  const user = await fx.signIn();
  const list = (body: Record<string, unknown>) =>
    fetch(`${fx.stack.apiUrl}/storage/v1/object/list/documents`, {
      method: "POST",
      headers: { apikey: fx.stack.keys.anonKey, authorization: `Bearer ${user.token}`, "content-type": "application/json" },
      body: JSON.stringify({ prefix: user.id, ...body }),
    });
  for (const [body, message] of [
    [{ limit: 0 }, "body/limit must be >= 1"],
    [{ limit: -1 }, "body/limit must be >= 1"],
    [{ limit: 1.5 }, "body/limit must be integer"],
    [{ limit: "10" }, "body/limit must be integer"],
    [{ offset: -1 }, "body/offset must be >= 0"],
    [{ search: 5 }, "body/search must be string"],
    [{ sortBy: { column: "owner_id" } }, "body/sortBy/column must be equal to one of the allowed values"],
    [{ sortBy: { column: "name", order: "sideways" } }, "body/sortBy/order must be equal to one of the allowed values"],
  ] as const) {
    const response = await list(body);
    assert.equal(response.status, 400, JSON.stringify(body));
    const error = await response.json();
    assert.equal(error.code, "InvalidRequest", JSON.stringify(body));
    assert.equal(error.message, message, JSON.stringify(body));
  }
  assert.equal((await list({ limit: 5, offset: 0, sortBy: { column: "created_at", order: "desc" } })).status, 200);
});
