// End-to-end writes and row-level security through the unmodified supabase-js.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture, userToken } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let service: RestClient;
const alice = randomUUID();
const bob = randomUUID();
let asAlice: RestClient;
let asBob: RestClient;

before(async () => {
  stack = await startRestFixture();
  service = client(stack, stack.keys.serviceRoleKey);
  asAlice = client(stack, userToken(stack, alice));
  asBob = client(stack, userToken(stack, bob));
});
after(() => stack?.dispose());

describe("REST writes", () => {
  it("inserts with return=minimal (201, no body) and representation shaped by select", async () => {
    const minimal = await service.from("items").insert({ name: "w-minimal" });
    assert.deepEqual([minimal.status, minimal.data, minimal.error], [201, null, null]);
    const full = await service
      .from("items")
      .insert([
        { name: "w-a", qty: 2 },
        { name: "w-b", qty: 3 },
      ])
      .select("name, qty, note");
    assert.deepEqual(
      [full.status, full.data],
      [
        201,
        [
          { name: "w-a", qty: 2, note: "none" },
          { name: "w-b", qty: 3, note: "none" },
        ],
      ],
    );
  });

  it("fills missing keys with NULL, or with the column default on missing=default", async () => {
    const nulls = await service
      .from("items")
      .insert([{ name: "w-null", note: "x" }, { name: "w-null2" }])
      .select("name, note");
    assert.deepEqual(nulls.data, [
      { name: "w-null", note: "x" },
      { name: "w-null2", note: null },
    ]);
    const defaults = await service
      .from("items")
      .insert([{ name: "w-def", note: "x" }, { name: "w-def2" }], { defaultToNull: false })
      .select("name, note, qty");
    assert.deepEqual(defaults.data, [
      { name: "w-def", note: "x", qty: 1 },
      { name: "w-def2", note: "none", qty: 1 },
    ]);
  });

  it("upserts with merge-duplicates and ignore-duplicates on on_conflict", async () => {
    await service.from("items").insert({ name: "w-up", qty: 1 });
    const merged = await service.from("items").upsert({ name: "w-up", qty: 7 }, { onConflict: "name" }).select("name, qty");
    assert.deepEqual([merged.status, merged.data], [200, [{ name: "w-up", qty: 7 }]]);
    const ignored = await service
      .from("items")
      .upsert(
        [
          { name: "w-up", qty: 9 },
          { name: "w-up-new", qty: 9 },
        ],
        { onConflict: "name", ignoreDuplicates: true },
      )
      .select("name, qty");
    assert.deepEqual([ignored.status, ignored.data], [201, [{ name: "w-up-new", qty: 9 }]]);
    const check = await service.from("items").select("qty").eq("name", "w-up").single();
    assert.equal(check.data?.qty, 7);
    const badTarget = await service.from("items").upsert({ name: "x", qty: 1 }, { onConflict: "qty" });
    assert.deepEqual([badTarget.status, badTarget.error?.code], [400, "42P10"]);
  });

  it("updates and deletes only filtered rows, with counts and representations", async () => {
    await service.from("items").insert([{ name: "w-upd1" }, { name: "w-upd2" }]);
    const updated = await service
      .from("items")
      .update({ qty: 42 }, { count: "exact" })
      .like("name", "w-upd*")
      .select("name, qty")
      .order("name");
    assert.deepEqual(
      [updated.status, updated.count, updated.data],
      [
        200,
        2,
        [
          { name: "w-upd1", qty: 42 },
          { name: "w-upd2", qty: 42 },
        ],
      ],
    );
    const minimal = await service.from("items").update({ qty: 1 }).eq("name", "w-upd1");
    assert.deepEqual([minimal.status, minimal.data], [204, null]);
    const deleted = await service.from("items").delete({ count: "exact" }).like("name", "w-upd*");
    assert.deepEqual([deleted.status, deleted.count], [204, 2]);
    const left = await service.from("items").select("id").like("name", "w-upd*");
    assert.deepEqual(left.data, []);
  });

  it("refuses UPDATE/DELETE without filters (safeupdate) and changes nothing", async () => {
    const before = (await service.from("items").select("id", { count: "exact", head: true })).count;
    const res = await rest(stack, "/items", { method: "DELETE", headers: { Authorization: `Bearer ${stack.keys.serviceRoleKey}` } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { code: "21000", details: null, hint: null, message: "DELETE requires a WHERE clause" });
    const after = (await service.from("items").select("id", { count: "exact", head: true })).count;
    assert.equal(after, before);
  });

  it("maps constraint violations and bad bodies to PostgREST errors", async () => {
    await service.from("items").insert({ name: "w-dup" });
    const dup = await service.from("items").insert({ name: "w-dup" });
    assert.deepEqual([dup.status, dup.error?.code], [409, "23505"]);
    const check = await service.from("items").insert({ name: "w-neg", qty: -1 });
    assert.deepEqual([check.status, check.error?.code], [400, "23514"]);
    const notNull = await service.from("items").insert({ qty: 1 });
    assert.deepEqual([notNull.status, notNull.error?.code], [400, "23502"]);
    const unknown = await service.from("items").insert({ name: "w-x", nope: 1 });
    assert.deepEqual(
      [unknown.status, unknown.error?.code, unknown.error?.message],
      [400, "PGRST204", "Could not find the 'nope' column of 'items' in the schema cache"],
    );
    const mismatched = await rest(stack, "/items", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '[{"name":"a"},{"qty":1}]',
    });
    assert.deepEqual([mismatched.status, (await mismatched.json()).message], [400, "All object keys must match"]);
    const invalid = await rest(stack, "/items", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{nope" });
    assert.deepEqual([invalid.status, (await invalid.json()).code], [400, "PGRST102"]);
  });

  it("rolls back a single() mutation that touches more than one row", async () => {
    await service.from("items").insert([
      { name: "w-s1", qty: 5 },
      { name: "w-s2", qty: 5 },
    ]);
    const res = await service.from("items").update({ qty: 6 }).like("name", "w-s*").select().single();
    assert.deepEqual([res.status, res.error?.code], [406, "PGRST116"]);
    const unchanged = await service.from("items").select("qty").like("name", "w-s*");
    assert.deepEqual(unchanged.data, [{ qty: 5 }, { qty: 5 }]);
  });

  it("answers return=headers-only with a Location", async () => {
    const res = await rest(stack, "/items", {
      method: "POST",
      headers: { "Content-Type": "application/json", Prefer: "return=headers-only", Authorization: `Bearer ${stack.keys.serviceRoleKey}` },
      body: JSON.stringify({ id: 900001, name: "w-loc" }),
    });
    assert.deepEqual([res.status, res.headers.get("location"), await res.text()], [201, "/items?id=eq.900001", ""]);
  });
});

describe("REST and row-level security", () => {
  it("shows each user their own rows for the same query", async () => {
    const inserted = await asAlice
      .from("todos")
      .insert([{ title: "alice private" }, { title: "alice public", public: true }], { defaultToNull: false });
    assert.equal(inserted.error, null);
    await asBob.from("todos").insert({ title: "bob private" });
    const mine = await asAlice.from("todos").select("title").order("id");
    assert.deepEqual(mine.data, [{ title: "alice private" }, { title: "alice public" }]);
    const bobs = await asBob.from("todos").select("title").order("id");
    assert.deepEqual(bobs.data, [{ title: "alice public" }, { title: "bob private" }]);
    const anon = await client(stack).from("todos").select("title");
    assert.deepEqual(anon.data, [{ title: "alice public" }]);
    const all = await service.from("todos").select("title", { count: "exact", head: true });
    assert.equal(all.count, 3);
  });

  it("denies writes the policies refuse: 403 for users, 401 for anon, and changes nothing", async () => {
    const forged = await asBob.from("todos").insert({ title: "as alice", user_id: alice });
    assert.deepEqual([forged.status, forged.error?.code], [403, "42501"]);
    const anon = await client(stack).from("todos").insert({ title: "anon", user_id: alice });
    assert.deepEqual([anon.status, anon.error?.code], [401, "42501"]);
    const hidden = await asBob.from("todos").update({ title: "hacked" }).eq("title", "alice private").select();
    assert.deepEqual([hidden.status, hidden.data], [200, []]);
    const gone = await asBob.from("todos").delete().eq("title", "alice private");
    assert.equal(gone.status, 204);
    const still = await asAlice.from("todos").select("title").eq("title", "alice private");
    assert.deepEqual(still.data, [{ title: "alice private" }]);
  });

  it("rejects bad tokens with 401 PGRST301 / PGRST303 before anything else", async () => {
    const bad = await rest(stack, "/nope", { headers: { Authorization: "Bearer not-a-jwt" } });
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { code: "PGRST301", details: null, hint: null, message: "Expected 3 parts in JWT; got 1" });
    assert.match(bad.headers.get("www-authenticate") ?? "", /^Bearer error="invalid_token"/);
    const expired = userToken(stack, alice, "authenticated", { exp: Math.floor(Date.now() / 1000) - 100 });
    const old = await rest(stack, "/todos", { headers: { Authorization: `Bearer ${expired}` } });
    assert.deepEqual([old.status, (await old.json()).code], [401, "PGRST303"]);
    const forged = `${userToken(stack, alice).slice(0, -4)}AAAA`;
    const sig = await rest(stack, "/todos", { headers: { Authorization: `Bearer ${forged}` } });
    assert.deepEqual([sig.status, (await sig.json()).code], [401, "PGRST301"]);
    const noRole = await rest(stack, "/todos", { headers: { Authorization: `Bearer ${userToken(stack, alice, "no_such_role")}` } });
    assert.deepEqual([noRole.status, (await noRole.json()).code], [401, "22023"]);
  });
});
