import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { type StorageFixture, startStorageFixture } from "./storage-test-kit.ts";

let fx: StorageFixture;
before(async () => {
  fx = await startStorageFixture();
});
after(() => fx?.dispose());

test("config.toml buckets exist after start with their settings", async () => {
  const { data, error } = await fx.service.storage.getBucket("avatars");
  assert.equal(error, null);
  assert.equal(data?.public, true);
  assert.equal(data?.file_size_limit, 64 * 1024);
  assert.deepEqual(data?.allowed_mime_types, ["image/png", "image/jpeg"]);
  const documents = await fx.service.storage.getBucket("documents");
  assert.equal(documents.data?.public, false);
});

test("service role creates, lists, updates, empties and deletes a bucket", async () => {
  const name = `b-${randomUUID().slice(0, 8)}`;
  const created = await fx.service.storage.createBucket(name, { public: false, fileSizeLimit: "1mb", allowedMimeTypes: ["text/*"] });
  assert.deepEqual(created, { data: { name }, error: null });
  const listed = await fx.service.storage.listBuckets();
  const row = listed.data?.find((bucket) => bucket.id === name);
  assert.equal(row?.file_size_limit, 1_000_000);
  assert.deepEqual(row?.allowed_mime_types, ["text/*"]);
  assert.equal(row?.type, "STANDARD");

  const updated = await fx.service.storage.updateBucket(name, { public: true, fileSizeLimit: null, allowedMimeTypes: undefined });
  assert.deepEqual(updated.data, { message: "Successfully updated" });
  const fetched = await fx.service.storage.getBucket(name);
  assert.equal(fetched.data?.public, true);
  assert.equal(fetched.data?.file_size_limit, null);

  await fx.service.storage.from(name).upload("a.txt", Buffer.from("a"), { contentType: "text/plain" });
  const notEmpty = await fx.service.storage.deleteBucket(name);
  assert.equal((notEmpty.error as { statusCode?: string } | null)?.statusCode, "409");
  assert.equal(notEmpty.error?.message, "The bucket you tried to delete is not empty");

  const emptied = await fx.service.storage.emptyBucket(name);
  assert.equal(emptied.error, null);
  const [{ count }] = await fx.sql`select count(*)::int as count from storage.objects where bucket_id = ${name}`;
  assert.equal(count, 0);
  const deleted = await fx.service.storage.deleteBucket(name);
  assert.deepEqual(deleted.data, { message: "Successfully deleted" });
  const gone = await fx.service.storage.getBucket(name);
  assert.equal((gone.error as { statusCode?: string } | null)?.statusCode, "404");
  assert.equal(gone.error?.message, "Bucket not found");
});

test("creating an existing bucket is a 409 Duplicate", async () => {
  const { error } = await fx.service.storage.createBucket("documents");
  assert.equal((error as { statusCode?: string } | null)?.statusCode, "409");
  assert.equal(error?.message, "The resource already exists");
});

test("bad bucket input: invalid name and size format are refused and nothing is created", async () => {
  const badName = await fx.service.storage.createBucket("bad/name");
  assert.equal((badName.error as { statusCode?: string } | null)?.statusCode, "400");
  const badSize = await fx.service.storage.createBucket(`b-${randomUUID().slice(0, 8)}`, { public: false, fileSizeLimit: "12 parsecs" });
  assert.match(badSize.error?.message ?? "", /Invalid file size format/);
  const [{ count }] = await fx.sql`select count(*)::int as count from storage.buckets where name = 'bad/name'`;
  assert.equal(count, 0);
});

test("anon and users may not create buckets (RLS on storage.buckets)", async () => {
  const user = await fx.signIn();
  for (const supabase of [fx.anon, user.client]) {
    const { error } = await supabase.storage.createBucket(`b-${randomUUID().slice(0, 8)}`);
    assert.equal((error as { statusCode?: string } | null)?.statusCode, "403");
    assert.match(error?.message ?? "", /row-level security/);
  }
  const { data } = await fx.anon.storage.listBuckets();
  assert.deepEqual(data, []);
});

test("the bucket list honours limit, offset, search (a substring, not a pattern) and sorting", async () => {
  const tag = `lst${randomUUID().slice(0, 6)}`;
  for (const suffix of ["a", "b", "c"]) {
    const { error } = await fx.service.storage.createBucket(`${tag}-${suffix}`);
    assert.equal(error, null);
  }
  const names = async (options: Parameters<typeof fx.service.storage.listBuckets>[0]) => {
    const { data, error } = await fx.service.storage.listBuckets(options);
    assert.equal(error, null);
    return data?.map((bucket) => bucket.name);
  };
  assert.deepEqual(await names({ search: tag }), [`${tag}-a`, `${tag}-b`, `${tag}-c`]);
  assert.deepEqual(await names({ search: tag, sortColumn: "name", sortOrder: "desc" }), [`${tag}-c`, `${tag}-b`, `${tag}-a`]);
  assert.deepEqual(await names({ search: tag, sortColumn: "id", sortOrder: "asc", limit: 1, offset: 1 }), [`${tag}-b`]);
  assert.deepEqual(await names({ search: `${tag.toUpperCase()}-C` }), [`${tag}-c`]);
  // `_` would match any one character as a LIKE pattern, `%` anything.
  assert.deepEqual(await names({ search: `${tag}_a` }), []);
  assert.deepEqual(await names({ search: `${tag}%` }), []);
});

test("bucket list parameters it cannot honour are refused, not dropped", async () => {
  const url = `${fx.stack.apiUrl}/storage/v1/bucket`;
  const headers = { apikey: fx.stack.keys.serviceRoleKey, authorization: `Bearer ${fx.stack.keys.serviceRoleKey}` };
  const cases: [string, string][] = [
    ["limit=ten", "querystring/limit must be integer"],
    ["limit=1.5", "querystring/limit must be integer"],
    ["limit=0", "querystring/limit must be >= 1"],
    ["offset=-1", "querystring/offset must be >= 0"],
    ["sortColumn=owner", "querystring/sortColumn must be equal to one of the allowed values"],
    ["sortOrder=sideways", "querystring/sortOrder must be equal to one of the allowed values"],
  ];
  for (const [query, message] of cases) {
    const response = await fetch(`${url}?${query}`, { headers });
    assert.equal(response.status, 400, query);
    assert.deepEqual(await response.json(), { statusCode: "400", code: "InvalidRequest", error: "Invalid Input", message }, query);
  }
  const viaClient = await fx.service.storage.listBuckets({ sortColumn: "owner" as "name" });
  assert.equal(viaClient.data, null);
  assert.equal(viaClient.error?.message, "querystring/sortColumn must be equal to one of the allowed values");
});

test("the bucket API without any credentials answers Storage's AccessDenied and changes nothing", async () => {
  const url = `${fx.stack.apiUrl}/storage/v1/bucket`;
  const name = `noauth-${randomUUID().slice(0, 8)}`;
  const attempts: [string, RequestInit][] = [
    [url, {}],
    [url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name }) }],
    [`${url}/documents`, {}],
    [`${url}/documents`, { method: "DELETE" }],
    [`${url}/documents/empty`, { method: "POST" }],
  ];
  for (const [target, init] of attempts) {
    const response = await fetch(target, init);
    assert.equal(response.status, 400, `${init.method ?? "GET"} ${target}`);
    assert.deepEqual(await response.json(), {
      statusCode: "403",
      code: "AccessDenied",
      error: "Unauthorized",
      message: "Invalid Compact JWS",
    });
  }
  assert.equal((await fx.service.storage.getBucket(name)).data, null);
  assert.equal((await fx.service.storage.getBucket("documents")).error, null);
});
