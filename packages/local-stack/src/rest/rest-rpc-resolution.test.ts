// How /rpc/<fn> picks a function, compared whole with PostgREST 12: overloads by argument names,
// ambiguous overloads (PGRST203), no match (PGRST202 with its details and fuzzy hint), single
// unnamed text/bytea parameters taking the raw body, variadic, defaults, and GET arguments (a
// query value without an operator), through the unmodified supabase-js where it can say it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { client, type RestClient, rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let db: RestClient;

before(async () => {
  stack = await startRestFixture();
  db = client(stack);
});
after(() => stack?.dispose());

async function body(res: Response): Promise<[number, unknown]> {
  return [res.status, await res.json()];
}

describe("REST RPC resolution", () => {
  it("tells overloads apart by the argument names given, by POST and GET", async () => {
    assert.deepEqual((await db.rpc("area", { side: 3 })).data, 9);
    assert.deepEqual((await db.rpc("area", { width: 2, height: 5 })).data, 10);
    assert.deepEqual((await db.rpc("area", { side: 4 }, { get: true })).data, 16);
    assert.deepEqual((await db.rpc("area", { height: 3, width: 7 }, { get: true })).data, 21);
  });

  it("answers overloads the names cannot tell apart with PGRST203 (300)", async () => {
    const { status, error } = await db.rpc("twin", { x: 1 });
    assert.equal(status, 300);
    const candidates = ["public.twin(x => integer)", "public.twin(x => text)"];
    assert.ok(
      [candidates, [...candidates].reverse()].some(
        (order) => error?.message === `Could not choose the best candidate function between: ${order.join(", ")}`,
      ),
      error?.message,
    );
    assert.deepEqual(
      { code: error?.code, details: error?.details, hint: error?.hint },
      {
        code: "PGRST203",
        details: null,
        hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
      },
    );
  });

  it("answers no match with PGRST202, PostgREST's details and the closest parameters or name", async () => {
    const post = await db.rpc("area", { sid: 3 });
    assert.equal(post.status, 404);
    assert.deepEqual(
      { ...post.error },
      {
        code: "PGRST202",
        message: "Could not find the function public.area(sid) in the schema cache",
        details:
          "Searched for the function public.area with parameter sid or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
        hint: "Perhaps you meant to call the function public.area(side)",
      },
    );
    assert.deepEqual(await body(await rest(stack, "/rpc/area?wdth=2&height=5")), [
      404,
      {
        code: "PGRST202",
        message: "Could not find the function public.area(height, wdth) in the schema cache",
        details: "Searched for the function public.area with parameters height, wdth, but no matches were found in the schema cache.",
        hint: "Perhaps you meant to call the function public.area(height, width)",
      },
    ]);
    const typo = await db.rpc("areaa");
    assert.deepEqual(
      { ...typo.error },
      {
        code: "PGRST202",
        message: "Could not find the function public.areaa without parameters in the schema cache",
        details:
          "Searched for the function public.areaa without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
        hint: "Perhaps you meant to call the function public.area",
      },
    );
  });

  it("passes a raw text or binary body to a single unnamed text or bytea parameter", async () => {
    const text = await rest(stack, "/rpc/shout", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "quiet, please" });
    assert.deepEqual(await body(text), [200, "QUIET, PLEASE"]);
    const bytes = await rest(stack, "/rpc/byte_count", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: new Uint8Array([0, 1, 2, 255, 10]),
    });
    assert.deepEqual(await body(bytes), [200, 5]);
    const missing = await rest(stack, "/rpc/area", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "3" });
    assert.deepEqual(await body(missing), [
      404,
      {
        code: "PGRST202",
        message: "Could not find the function public.area in the schema cache",
        details:
          "Searched for the function public.area with a single unnamed text parameter, but no matches were found in the schema cache.",
        hint: null,
      },
    ]);
  });

  it("fills defaults and spreads variadic arguments, from JSON, repeated query keys and forms", async () => {
    assert.deepEqual((await db.rpc("greet")).data, "hello world!");
    assert.deepEqual((await db.rpc("greet", { punctuation: "?" })).data, "hello world?");
    assert.deepEqual((await db.rpc("greet", { name: "ann" }, { get: true })).data, "hello ann!");
    assert.deepEqual((await db.rpc("total", { nums: [1, 2, 3] })).data, 6);
    assert.deepEqual(await body(await rest(stack, "/rpc/total?nums=1&nums=2&nums=5")), [200, 8]);
    const form = await rest(stack, "/rpc/area", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "width=3&height=4",
    });
    assert.deepEqual(await body(form), [200, 12]);
  });

  it("takes a GET parameter with an operator as a filter and one without as an argument", async () => {
    assert.deepEqual(await body(await rest(stack, "/rpc/films_by?director=1&id=gt.1&select=id")), [200, [{ id: 2 }]]);
    const unknown = await body(await rest(stack, "/rpc/area?side=3&extra=1"));
    assert.deepEqual(unknown[0], 404);
    assert.equal((unknown[1] as { message: string }).message, "Could not find the function public.area(extra, side) in the schema cache");
  });
});
