// PUT (single-row upsert by primary key), Preference-Applied, Content-Location, Prefer
// handling=strict and max-affected, as PostgREST answers them.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let service: RestClient;
/** The same client typed for PostgREST 13+ (the Supabase CLI pins v14), which enables maxAffected(). */
// biome-ignore lint/suspicious/noExplicitAny: untyped fixture database
let service13: SupabaseClient<any, { PostgrestVersion: "14" }>;

before(async () => {
  stack = await startRestFixture();
  service = client(stack, stack.keys.serviceRoleKey);
  service13 = service as unknown as typeof service13;
});
after(() => stack?.dispose());

function asService(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return rest(stack, path, {
    method,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}`, ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function item(id: number) {
  return (await service.from("items").select("id, name, qty").eq("id", id)).data;
}

describe("REST PUT", () => {
  it("inserts a missing row (201) and replaces an existing one (200)", async () => {
    const rep = { Prefer: "return=representation" };
    const created = await asService("PUT", "/items?id=eq.7001&select=id,name,qty", { id: 7001, name: "put-a", qty: 4 }, rep);
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), [{ id: 7001, name: "put-a", qty: 4 }]);
    assert.equal(created.headers.get("preference-applied"), "return=representation");
    assert.equal(created.headers.get("content-range"), null);
    const replaced = await asService("PUT", "/items?id=eq.7001", { id: 7001, name: "put-b", qty: 5 }, rep);
    assert.equal(replaced.status, 200);
    assert.deepEqual(await item(7001), [{ id: 7001, name: "put-b", qty: 5 }]);
    const minimal = await asService("PUT", "/items?id=eq.7001", { id: 7001, name: "put-c", qty: 6 });
    assert.deepEqual([minimal.status, await minimal.text()], [204, ""]);
    assert.deepEqual(await item(7001), [{ id: 7001, name: "put-c", qty: 6 }]);
  });

  it("refuses filters other than eq on every primary key column (405 PGRST105)", async () => {
    for (const query of [
      "",
      "?name=eq.x",
      "?id=gt.7002",
      "?id=not.eq.7002",
      "?id=eq.7002&name=eq.x",
      "?or=(id.eq.7002)",
      "?id=in.(7002)",
    ]) {
      const res = await asService("PUT", `/items${query}`, { id: 7002, name: "put-refused" });
      assert.equal(res.status, 405, query);
      const body = await res.json();
      assert.equal(body.code, "PGRST105", query);
      assert.equal(body.message, "Filters must include all and only primary key columns with 'eq' operators");
    }
    assert.deepEqual(await item(7002), []);
  });

  it("refuses limit/offset (400 PGRST114) and a payload key that differs from the URL (400 PGRST115)", async () => {
    const limited = await asService("PUT", "/items?id=eq.7003&limit=1", { id: 7003, name: "put-limited" });
    assert.deepEqual([limited.status, (await limited.json()).code], [400, "PGRST114"]);
    const mismatch = await asService("PUT", "/items?id=eq.7003", { id: 7004, name: "put-mismatch" });
    assert.equal(mismatch.status, 400);
    assert.deepEqual(await mismatch.json(), {
      code: "PGRST115",
      details: null,
      hint: null,
      message: "Payload values do not match URL in primary key column(s)",
    });
    const missingKey = await asService("PUT", "/items?id=eq.7003", { name: "put-no-key" });
    assert.deepEqual([missingKey.status, (await missingKey.json()).code], [400, "PGRST115"]);
    assert.deepEqual([await item(7003), await item(7004)], [[], []]);
  });
});

describe("REST Preference-Applied and Content-Location", () => {
  it("echoes honoured preferences in PostgREST's order, per method", async () => {
    const post = await asService("POST", "/items?columns=name", [{ name: "pref-1" }], {
      Prefer: "handling=lenient, count=exact, return=minimal, missing=default, resolution=merge-duplicates, tx=rollback",
    });
    assert.equal(post.status, 201);
    assert.equal(
      post.headers.get("preference-applied"),
      "resolution=merge-duplicates, missing=default, return=minimal, count=exact, handling=lenient",
    );
    const get = await rest(stack, "/items?select=id&limit=1", {
      headers: { Prefer: "return=representation, missing=default, count=exact" },
    });
    assert.equal(get.headers.get("preference-applied"), "count=exact");
    const del = await asService("DELETE", "/items?name=eq.pref-1", undefined, {
      Prefer: "return=representation, max-affected=3, handling=strict, missing=default",
    });
    assert.equal(del.status, 200);
    assert.equal(del.headers.get("preference-applied"), "return=representation, handling=strict, max-affected=3");
    const rpc = await rest(stack, "/rpc/add_them?a=1", { headers: { Prefer: "timezone=Asia/Tokyo" } });
    assert.equal(rpc.headers.get("preference-applied"), "timezone=Asia/Tokyo");
  });

  it("ignores an unknown timezone, and refuses it under handling=strict", async () => {
    const lenient = await rest(stack, "/films?select=id&limit=1", { headers: { Prefer: "timezone=Mars/Olympus" } });
    assert.deepEqual([lenient.status, lenient.headers.get("preference-applied")], [200, null]);
    const strict = await rest(stack, "/films?select=id&limit=1", { headers: { Prefer: "handling=strict, timezone=Mars/Olympus" } });
    assert.equal(strict.status, 400);
    assert.deepEqual(await strict.json(), {
      code: "PGRST122",
      details: "Invalid preferences: timezone=Mars/Olympus",
      hint: null,
      message: "Invalid preferences given with handling=strict",
    });
  });

  it("refuses unknown preferences under handling=strict (400 PGRST122), not under lenient", async () => {
    const strict = await rest(stack, "/films?select=id", { headers: { Prefer: "handling=strict, count=exactly, return=minimal" } });
    assert.equal(strict.status, 400);
    const body = await strict.json();
    assert.deepEqual([body.code, body.details], ["PGRST122", "Invalid preferences: count=exactly"]);
    const lenient = await rest(stack, "/films?select=id", { headers: { Prefer: "handling=lenient, count=exactly" } });
    assert.deepEqual([lenient.status, lenient.headers.get("preference-applied")], [200, "handling=lenient"]);
  });

  it("sends Content-Location with the sorted, re-encoded query on reads", async () => {
    const res = await rest(stack, "/films?select=id,title&order=id&id=gt.1&limit=2");
    assert.equal(res.headers.get("content-location"), "/films?id=gt.1&limit=2&order=id&select=id%2Ctitle");
    const head = await rest(stack, "/films", { method: "HEAD" });
    assert.equal(head.headers.get("content-location"), "/films");
    const spaced = await rest(stack, "/films?title=eq.Cl%C3%A9o+from&id=eq.1&id=eq.2");
    assert.equal(spaced.headers.get("content-location"), "/films?id=eq.1,eq.2&title=eq.Cl%C3%A9o%20from");
  });
});

describe("REST max-affected", () => {
  it("rolls back a PATCH or DELETE over max-affected with handling=strict (400 PGRST124)", async () => {
    await service.from("items").insert([{ name: "max-a" }, { name: "max-b" }, { name: "max-c" }]);
    const over = await service13.from("items").update({ qty: 9 }).like("name", "max-*").maxAffected(2);
    assert.equal(over.status, 400);
    assert.deepEqual(over.error && { ...over.error }, {
      code: "PGRST124",
      details: "The query affects 3 rows",
      hint: null,
      message: "Query result exceeds max-affected preference constraint",
    });
    const untouched = await service.from("items").select("qty").like("name", "max-*");
    assert.deepEqual(untouched.data, [{ qty: 1 }, { qty: 1 }, { qty: 1 }]);
    const lenient = await asService("PATCH", "/items?name=like.max-*", { qty: 8 }, { Prefer: "max-affected=2" });
    assert.equal(lenient.status, 204);
    const within = await service13.from("items").update({ qty: 7 }).like("name", "max-*").maxAffected(3);
    assert.deepEqual([within.status, within.error], [204, null]);
    const del = await service13.from("items").delete().like("name", "max-*").maxAffected(1);
    assert.deepEqual([del.status, del.error?.code], [400, "PGRST124"]);
    const kept = await service.from("items").select("qty").like("name", "max-*");
    assert.deepEqual(kept.data, [{ qty: 7 }, { qty: 7 }, { qty: 7 }]);
  });

  it("applies max-affected to set-returning functions and refuses it on single-row ones", async () => {
    const strict = { Prefer: "handling=strict, max-affected=2" };
    const set = await rest(stack, "/rpc/years", { headers: strict });
    assert.deepEqual([set.status, (await set.json()).code], [400, "PGRST124"]);
    const single = await rest(stack, "/rpc/add_them?a=1", { headers: strict });
    assert.deepEqual([single.status, (await single.json()).code], [400, "PGRST128"]);
  });
});
