// A write changes exactly the rows its request names: `order` + `limit`/`offset` limit a PATCH or
// DELETE as PostgREST 10-12 did, and any filter or parameter a write cannot apply is refused with
// PostgREST's error, never dropped (a dropped `limit` or embedded filter widens the write).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture, userToken } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let service: RestClient;
let serviceHeaders: Record<string, string>;

before(async () => {
  stack = await startRestFixture();
  service = client(stack, stack.keys.serviceRoleKey);
  serviceHeaders = { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}` };
});
after(() => stack?.dispose());

/** A signed-in user owning todos with these titles (inserted in order, so ids ascend). */
async function userWithTodos(titles: string[]): Promise<{ id: string; as: RestClient }> {
  const id = randomUUID();
  const inserted = await service.from("todos").insert(titles.map((title) => ({ user_id: id, title })));
  assert.equal(inserted.error, null);
  return { id, as: client(stack, userToken(stack, id)) };
}

/** Every todo of `owner` as the service role sees it: id order, title, done. */
async function todosOf(owner: string): Promise<{ title: string; done: boolean }[]> {
  const { data, error } = await service.from("todos").select("title, done").eq("user_id", owner).order("id");
  assert.equal(error, null);
  return data as { title: string; done: boolean }[];
}

describe("REST write scope", () => {
  it("PATCH with order and limit changes only the first row of that order", async () => {
    const alice = await userWithTodos(["a1", "a2", "a3"]);
    const bob = await userWithTodos(["b1", "b2"]);
    const res = await alice.as.from("todos").update({ title: "edited" }).eq("user_id", alice.id).order("id", { ascending: false }).limit(1);
    assert.deepEqual([res.status, res.error], [204, null]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["a1", "a2", "edited"],
    );
    const returned = await alice.as.from("todos").update({ done: true }).eq("user_id", alice.id).order("id").limit(2).select("title, done");
    assert.deepEqual(
      [returned.status, returned.data],
      [
        200,
        [
          { title: "a1", done: true },
          { title: "a2", done: true },
        ],
      ],
    );
    assert.deepEqual(await todosOf(alice.id), [
      { title: "a1", done: true },
      { title: "a2", done: true },
      { title: "edited", done: false },
    ]);
    assert.deepEqual(await todosOf(bob.id), [
      { title: "b1", done: false },
      { title: "b2", done: false },
    ]);
  });

  it("DELETE with order, limit and offset deletes only that window", async () => {
    const alice = await userWithTodos(["d1", "d2", "d3", "d4"]);
    const res = await alice.as.from("todos").delete({ count: "exact" }).eq("user_id", alice.id).order("id").range(1, 2);
    assert.deepEqual([res.status, res.count, res.error], [204, 2, null]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["d1", "d4"],
    );
    const last = await alice.as.from("todos").delete().eq("user_id", alice.id).order("id", { ascending: false }).limit(1).select("title");
    assert.deepEqual([last.status, last.data], [200, [{ title: "d4" }]]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["d1"],
    );
  });

  it("refuses limit or offset without an order (PGRST109) and changes nothing", async () => {
    const alice = await userWithTodos(["n1", "n2"]);
    const update = await alice.as.from("todos").update({ title: "edited" }).eq("user_id", alice.id).limit(1);
    assert.deepEqual(
      [update.status, update.error?.code, update.error?.message],
      [400, "PGRST109", "A 'limit' was applied without an explicit 'order'"],
    );
    const remove = await rest(stack, `/todos?user_id=eq.${alice.id}&offset=1`, { method: "DELETE", headers: serviceHeaders });
    assert.deepEqual([remove.status, (await remove.json()).code], [400, "PGRST109"]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["n1", "n2"],
    );
  });

  it("rolls back a limited write whose order matches more rows than the limit (PGRST110)", async () => {
    const alice = await userWithTodos(["u1", "u2", "u3"]);
    const update = await alice.as.from("todos").update({ title: "edited" }).eq("user_id", alice.id).order("done").limit(1);
    assert.deepEqual(
      [update.status, update.error?.code, update.error?.details],
      [400, "PGRST110", "Results contain 3 rows changed but the maximum number allowed is 1"],
    );
    const remove = await alice.as.from("todos").delete().eq("user_id", alice.id).order("title").order("done").limit(2);
    assert.deepEqual([remove.status, remove.error], [204, null]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["u3"],
    );
  });

  it("refuses embedded filters and modifiers the select does not name, whatever the write returns (PGRST108)", async () => {
    await service.from("directors").insert({ id: 9101, name: "Scope Director" });
    await service.from("films").insert([
      { id: 9101, title: "Scope A", director_id: 9101, year: 1950 },
      { id: 9102, title: "Scope B", director_id: 9101, year: 1999 },
    ]);
    await service.from("actors").insert({ id: 9101, name: "Scope Actor" });
    await service.from("roles").insert([
      { film_id: 9101, actor_id: 9101, character: "first" },
      { film_id: 9102, actor_id: 9101, character: "second" },
    ]);
    const deleteInFilm = await service.from("roles").delete().eq("actor_id", 9101).eq("films.year", 1950);
    assert.deepEqual([deleteInFilm.status, deleteInFilm.error?.code], [400, "PGRST108"]);
    const represented = await service.from("roles").delete().eq("actor_id", 9101).eq("films.year", 1950).select("character");
    assert.deepEqual([represented.status, represented.error?.code], [400, "PGRST108"]);
    const updateInFilm = await service.from("roles").update({ character: "edited" }).eq("actor_id", 9101).eq("films.year", 1950);
    assert.deepEqual([updateInFilm.status, updateInFilm.error?.code], [400, "PGRST108"]);
    for (const modifier of ["films.or=(year.eq.1950)", "films.order=year", "films.limit=1", "films.offset=1"]) {
      const res = await rest(stack, `/roles?actor_id=eq.9101&${modifier}`, { method: "DELETE", headers: serviceHeaders });
      assert.deepEqual([res.status, (await res.json()).code], [400, "PGRST108"], modifier);
    }
    const orderedByEmbed = await rest(stack, "/roles?actor_id=eq.9101&select=*,films(year)&order=films(year)&limit=1", {
      method: "DELETE",
      headers: serviceHeaders,
    });
    assert.deepEqual([orderedByEmbed.status, (await orderedByEmbed.json()).code], [400, "PGRST127"]);
    const left = await service.from("roles").select("film_id, character").eq("actor_id", 9101).order("film_id");
    assert.deepEqual(left.data, [
      { film_id: 9101, character: "first" },
      { film_id: 9102, character: "second" },
    ]);
  });

  it("refuses parameters a request cannot apply (PGRST127) and changes nothing", async () => {
    await service.from("items").insert({ name: "scope-item", qty: 3 });
    const cases: [string, string, string | undefined][] = [
      ["GET", "/items?columns=name", undefined],
      ["GET", "/items?on_conflict=name", undefined],
      ["DELETE", "/items?name=eq.scope-item&columns=name", undefined],
      ["DELETE", "/items?name=eq.scope-item&on_conflict=name", undefined],
      ["PATCH", "/items?name=eq.scope-item&on_conflict=name", '{"qty":9}'],
      ["PUT", "/items?id=eq.990001&on_conflict=name", '{"id":990001,"name":"scope-put"}'],
      ["POST", "/items?limit=1", '[{"name":"scope-a"},{"name":"scope-b"}]'],
      ["POST", "/items?offset=1", '[{"name":"scope-a"},{"name":"scope-b"}]'],
      ["GET", "/rpc/add_them?a=1&columns=a", undefined],
      ["POST", "/rpc/add_item?on_conflict=name", '{"item_name":"scope-rpc"}'],
    ];
    for (const [method, path, body] of cases) {
      const res = await rest(stack, path, { method, headers: serviceHeaders, body });
      const answer = await res.json();
      assert.deepEqual([res.status, answer.code, answer.message], [400, "PGRST127", "Feature not implemented"], `${method} ${path}`);
    }
    const items = await service.from("items").select("name, qty").like("name", "scope-*").order("name");
    assert.deepEqual(items.data, [{ name: "scope-item", qty: 3 }]);
  });

  it("refuses a repeated one-value parameter or non-variadic RPC argument instead of keeping one of them", async () => {
    const alice = await userWithTodos(["r1", "r2", "r3"]);
    const twice = await rest(stack, `/todos?user_id=eq.${alice.id}&order=id&limit=1&limit=3`, {
      method: "DELETE",
      headers: serviceHeaders,
    });
    assert.deepEqual([twice.status, (await twice.json()).code], [400, "PGRST100"]);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["r1", "r2", "r3"],
    );
    const args = await rest(stack, "/rpc/add_them?a=1&a=2&b=3");
    const answer = await args.json();
    assert.deepEqual(
      [args.status, answer.code, answer.details],
      [400, "PGRST127", "The argument 'a' is given 2 times but is not variadic"],
    );
  });

  it("refuses a PATCH body of several objects instead of applying one of them", async () => {
    const alice = await userWithTodos(["p1", "p2"]);
    const res = await rest(stack, `/todos?user_id=eq.${alice.id}`, {
      method: "PATCH",
      headers: serviceHeaders,
      body: '[{"title":"first"},{"title":"second"}]',
    });
    assert.deepEqual([res.status, (await res.json()).code], [400, "PGRST102"]);
    const single = await rest(stack, `/todos?user_id=eq.${alice.id}&title=eq.p1`, {
      method: "PATCH",
      headers: serviceHeaders,
      body: '[{"title":"only"}]',
    });
    assert.equal(single.status, 204);
    assert.deepEqual(
      (await todosOf(alice.id)).map((t) => t.title),
      ["only", "p2"],
    );
  });

  it("applies an insert's filters to the rows it returns, as PostgREST does", async () => {
    const res = await rest(stack, "/items?name=eq.scope-kept&select=name", {
      method: "POST",
      headers: { ...serviceHeaders, Prefer: "return=representation" },
      body: '[{"name":"scope-kept"},{"name":"scope-other"}]',
    });
    assert.deepEqual([res.status, await res.json()], [201, [{ name: "scope-kept" }]]);
    const items = await service.from("items").select("name").in("name", ["scope-kept", "scope-other"]).order("name");
    assert.deepEqual(items.data, [{ name: "scope-kept" }, { name: "scope-other" }]);
  });
});
