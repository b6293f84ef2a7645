// Hostile input: injection attempts in every part of the URL grammar and body, unknown operators,
// deep embeds and huge ranges get PostgREST-shaped errors (or are treated as plain values) and
// change nothing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { FixtureStack } from "../testing/fixture-stack.ts";
import { rest, startRestFixture } from "./test-fixture/start-rest-fixture.ts";

let stack: FixtureStack;
let fingerprint: string;

async function databaseFingerprint(): Promise<string> {
  const service = { Authorization: `Bearer ${stack.keys.serviceRoleKey}` };
  const parts = await Promise.all(
    ["films", "items", "directors", "roles"].map(async (t) => (await rest(stack, `/${t}?select=*`, { headers: service })).text()),
  );
  return parts.join("|");
}

before(async () => {
  stack = await startRestFixture();
  fingerprint = await databaseFingerprint();
});
after(() => stack?.dispose());

const INJECTIONS = ["1;drop table public.films", "1' or '1'='1", '1") or true--', "1); delete from public.films; --", "$1", "\\x00"];

function assertPostgrestError(body: unknown): void {
  assert.ok(body && typeof body === "object", "error body is an object");
  assert.deepEqual(Object.keys(body as object).sort(), ["code", "details", "hint", "message"]);
}

describe("REST hostile input", () => {
  it("treats injection attempts in filter values as values", async () => {
    for (const value of INJECTIONS) {
      const res = await rest(stack, `/films?select=id&title=eq.${encodeURIComponent(value)}`);
      assert.equal(res.status, 200, value);
      assert.deepEqual(await res.json(), [], value);
      const list = await rest(stack, `/films?select=id&title=in.(${encodeURIComponent(`"${value.replace(/"/g, "")}"`)})`);
      assert.equal(list.status, 200, value);
      const tree = await rest(stack, `/films?select=id&or=(title.eq.${encodeURIComponent(`"${value.replace(/"/g, "")}"`)},id.eq.0)`);
      assert.equal(tree.status, 200, value);
    }
    const numeric = await rest(stack, `/films?select=id&id=eq.${encodeURIComponent("1 or 1=1")}`);
    assert.equal(numeric.status, 400);
    assertPostgrestError(await numeric.json());
  });

  it("refuses injection attempts in select, order, filter keys and on_conflict", async () => {
    const attempts = [
      `/films?select=${encodeURIComponent("id,(select 1)")}`,
      `/films?select=${encodeURIComponent('id"; drop table films; --')}`,
      `/films?select=${encodeURIComponent("id::int; drop table films")}`,
      `/films?select=${encodeURIComponent("id::text) from pg_roles --")}`,
      `/films?order=${encodeURIComponent("id; drop table films")}`,
      `/films?order=${encodeURIComponent("(select 1)")}`,
      `/films?${encodeURIComponent("id;drop table films")}=eq.1`,
      `/films?${encodeURIComponent('id") or true --')}=eq.1`,
      `/films?select=${encodeURIComponent("meta->>'lang'")}`,
      `/films?select=id&meta->>${encodeURIComponent("'a' or 1=1")}=eq.x`,
      `/films?select=${encodeURIComponent("pg_catalog.pg_roles(*)")}`,
    ];
    for (const path of attempts) {
      const res = await rest(stack, path);
      assert.ok(res.status >= 400 && res.status < 500, `${path} -> ${res.status}`);
      assertPostgrestError(await res.json());
    }
    const upsert = await rest(stack, `/items?on_conflict=${encodeURIComponent("name) do nothing; drop table items; --")}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Prefer: "resolution=merge-duplicates",
        Authorization: `Bearer ${stack.keys.serviceRoleKey}`,
      },
      body: JSON.stringify({ name: "h-1" }),
    });
    assert.ok(upsert.status >= 400 && upsert.status < 500);
    assertPostgrestError(await upsert.json());
  });

  it("quotes hostile column names in bodies and refuses unknown ones", async () => {
    const res = await rest(stack, "/items", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}` },
      body: JSON.stringify({ "name\") values ('x'); drop table items; --": "y" }),
    });
    assert.equal(res.status, 400);
    assert.equal((await res.json()).code, "PGRST204");
  });

  it("refuses hostile RPC names and treats hostile arguments as values", async () => {
    const name = await rest(stack, `/rpc/${encodeURIComponent("add_them(1,2); drop table films; --")}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    });
    assert.equal(name.status, 404);
    assert.equal((await name.json()).code, "PGRST202");
    const arg = await rest(stack, "/rpc/echo", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ payload: "'); drop table films; --" }),
    });
    assert.deepEqual([arg.status, await arg.json()], [200, "'); drop table films; --"]);
    const getArg = await rest(stack, `/rpc/add_them?a=${encodeURIComponent("1); drop table films; --")}`);
    assert.equal(getArg.status, 400);
    assertPostgrestError(await getArg.json());
    const badPath = await rest(stack, "/rpc/add_them/extra");
    assert.deepEqual([badPath.status, (await badPath.json()).code], [404, "PGRST125"]);
  });

  it("answers unknown operators, bad trees and bad media types with PostgREST errors", async () => {
    for (const path of [
      "/films?id=like2.1",
      "/films?id=eq",
      "/films?or=(id.eq.1",
      "/films?or=id.eq.1",
      "/films?and=(id.zz.1)",
      "/films?limit=-1",
      "/films?select=films((((",
    ]) {
      const res = await rest(stack, path);
      assert.equal(res.status, 400, path);
      const body = await res.json();
      assertPostgrestError(body);
      assert.equal(body.code, "PGRST100", path);
    }
    const accept = await rest(stack, "/films", { headers: { Accept: "application/xml" } });
    assert.deepEqual([accept.status, (await accept.json()).code], [406, "PGRST107"]);
    const method = await rest(stack, "/films", { method: "PUT", headers: { "Content-Type": "application/json" }, body: "{}" });
    assert.equal(method.status, 405);
  });

  it("refuses deeply nested embeds and modifiers on embeds that are not selected", async () => {
    const deep = await rest(stack, `/films?select=${"directors(films(".repeat(15)}id${"))".repeat(15)}`);
    assert.equal(deep.status, 400);
    assertPostgrestError(await deep.json());
    const notSelected = await rest(stack, "/films?select=id&actors.name=eq.x");
    assert.deepEqual([notSelected.status, (await notSelected.json()).code], [400, "PGRST108"]);
  });

  it("handles huge and inverted ranges", async () => {
    const huge = await rest(stack, "/films?select=id", { headers: { Range: "0-999999999999" } });
    assert.deepEqual([huge.status, (await huge.json()).length], [200, 5]);
    const inverted = await rest(stack, "/films?select=id", { headers: { Range: "5-2" } });
    assert.deepEqual([inverted.status, (await inverted.json()).code], [416, "PGRST103"]);
    const bigLimit = await rest(stack, "/films?select=id&limit=99999999999999999999&offset=99999999999");
    assert.ok([200, 400].includes(bigLimit.status));
  });

  it("refuses hostile PUT filters, bodies and on_conflict, and writes nothing", async () => {
    const put = (path: string, body: unknown, prefer?: string) =>
      rest(stack, path, {
        method: "PUT",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${stack.keys.serviceRoleKey}`,
          ...(prefer ? { Prefer: prefer } : {}),
        },
        body: JSON.stringify(body),
      });
    for (const value of INJECTIONS) {
      const res = await put(`/items?id=eq.${encodeURIComponent(value)}`, { id: 1, name: "h-put" });
      assert.ok(res.status === 400, `${value} -> ${res.status}`);
      assertPostgrestError(await res.json());
    }
    const attempts: [string, unknown, number, string][] = [
      [`/items?${encodeURIComponent("id;drop table items")}=eq.1`, { id: 1, name: "h-put" }, 400, "PGRST100"],
      ["/items?id=eq.900001", { id: 900001, "name\") values ('x'); drop table items; --": "y" }, 400, "PGRST204"],
      [
        `/items?id=eq.900001&on_conflict=${encodeURIComponent("id) do nothing; drop table items; --")}`,
        { id: 900001, name: "h" },
        400,
        "PGRST100",
      ],
      [`/items?id=eq.900001&or=${encodeURIComponent("(id.eq.1)")}`, { id: 900001, name: "h-put" }, 405, "PGRST105"],
      ["/items?id=eq.900001&id=eq.900002", { id: 900001, name: "h-put" }, 400, "PGRST115"],
      ["/items?id=eq.900001&offset=99999999999", { id: 900001, name: "h-put" }, 400, "PGRST114"],
      [
        "/items?id=eq.900001",
        [
          { id: 900003, name: "h-put-3" },
          { id: 900002, name: "h-put-2" },
        ],
        400,
        "PGRST115",
      ],
      ["/items?id=eq.900001", "not an object", 400, "PGRST102"],
      ["/films?id=eq.900001", { id: 900001, title: "anonymous" }, 401, "42501"],
    ];
    for (const [path, body, status, code] of attempts) {
      const res = path.startsWith("/films")
        ? await rest(stack, path, { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        : await put(path, body);
      const answer = await res.json();
      assertPostgrestError(answer);
      assert.deepEqual([res.status, answer.code], [status, code], path);
    }
  });

  it("treats hostile Prefer values as invalid preferences, never as SQL", async () => {
    const get = (prefer: string) => rest(stack, "/films?select=id&limit=1", { headers: { Prefer: prefer } });
    const cases: [string, number][] = [
      ["count=exact; drop table films", 200],
      ["handling=strict,return=minimal'--", 400],
      ["handling=strict, timezone=UTC'; drop table films; --", 400],
    ];
    for (const [prefer, status] of cases) {
      const res = await get(prefer);
      assert.equal(res.status, status, prefer);
      if (status === 400) assert.equal((await res.json()).code, "PGRST122");
      else assert.equal(res.headers.get("preference-applied"), null);
    }
    const timezone = await get("timezone=UTC'; drop table films; --");
    assert.deepEqual([timezone.status, timezone.headers.get("preference-applied")], [200, null]);
    const maxAffected = await get("handling=strict, max-affected=1); drop table films; --");
    assert.deepEqual([maxAffected.status, maxAffected.headers.get("preference-applied")], [200, "handling=strict"]);
    const patch = (prefer: string) =>
      rest(stack, "/items?id=eq.-5", {
        method: "PATCH",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}`, Prefer: prefer },
        body: JSON.stringify({ qty: 3 }),
      });
    const huge = await patch("handling=strict, max-affected=99999999999999999999999");
    assert.equal(huge.status, 204);
    const negative = await patch("handling=strict, max-affected=-1");
    assert.deepEqual([negative.status, (await negative.json()).code], [400, "PGRST124"]);
  });

  it("binds hostile filter values in planned and estimated counts too", async () => {
    for (const value of INJECTIONS) {
      for (const count of ["planned", "estimated"]) {
        const res = await rest(stack, `/films?select=id&title=eq.${encodeURIComponent(value)}`, { headers: { Prefer: `count=${count}` } });
        // The planner never estimates fewer than one row, so an empty page may be "partial" (206).
        assert.ok([200, 206].includes(res.status), `${count} ${value}`);
        assert.deepEqual(await res.json(), []);
        assert.match(res.headers.get("content-range") ?? "", /^\*\/\d+$/);
      }
    }
  });

  it("refuses a NUL in quoted identifiers and values with a 400 before any SQL is sent", async () => {
    const nul = (text: string) => encodeURIComponent(text.replace("@", "\u0000"));
    const parsed = [
      `/films?select=${nul('"a@b":id')}`,
      `/films?select=${nul('"ti@tle"')}`,
      `/films?select=${nul('meta->"a@b"')}`,
      `/films?select=${nul('id,directors("na@me")')}`,
      `/films?${nul('"ti@tle"')}=eq.1`,
      `/films?order=${nul('"ti@tle"')}`,
      `/films?id=in.(${nul('"1@"')})`,
      `/films?or=(${nul('title.eq."a@b"')})`,
      `/rpc/films_by?director=1&select=${nul('"x@":id')}`,
    ];
    for (const path of parsed) {
      const res = await rest(stack, path);
      const body = await res.json();
      assertPostgrestError(body);
      assert.deepEqual([res.status, body.code], [400, "PGRST100"], path);
    }
    const service = { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}` };
    for (const query of [`columns=${nul('"na@me"')}`, `on_conflict=${nul('"na@me"')}`]) {
      const res = await rest(stack, `/items?${query}`, {
        method: "POST",
        headers: { ...service, Prefer: "resolution=merge-duplicates" },
        body: '{"name":"h-nul"}',
      });
      assert.deepEqual([res.status, (await res.json()).code], [400, "PGRST100"], query);
    }
    // Values are bound, never statement text: PostgreSQL refuses a NUL in text as PostgREST reports it.
    const value = await rest(stack, `/films?select=id&title=eq.${nul("a@b")}`);
    assert.deepEqual([value.status, (await value.json()).code], [400, "22021"]);
    const escaped = await rest(stack, "/items", { method: "POST", headers: service, body: '{"name":"h-nul\\u0000"}' });
    assert.deepEqual([escaped.status, (await escaped.json()).code], [400, "22P05"]);
    const after = await rest(stack, "/films?select=id");
    assert.deepEqual([after.status, (await after.json()).length], [200, 5]);
  });

  it("refuses bodies nested too deeply with a 400 and writes nothing, and keeps reasonable nesting", async () => {
    const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
    const service = { "Content-Type": "application/json", Authorization: `Bearer ${stack.keys.serviceRoleKey}` };
    const attempts: [string, string, string][] = [
      ["POST", "/items", deep],
      ["POST", "/items", `[{"name":"h-deep","period":${deep}}]`],
      ["PATCH", "/items?id=gt.0", `{"note":${deep}}`],
      ["PUT", "/items?id=eq.900009", `{"id":900009,"name":"h-deep","note":${deep}}`],
      ["POST", "/rpc/echo", `{"payload":${deep}}`],
      ["POST", "/rpc/raw_echo", deep],
    ];
    for (const [method, path, body] of attempts) {
      const res = await rest(stack, path, { method, headers: service, body });
      const answer = await res.json();
      assertPostgrestError(answer);
      assert.deepEqual([res.status, answer.code], [400, "PGRST102"], `${method} ${path}`);
    }
    const nested = JSON.parse(`${"[".repeat(200)}"bottom"${"]".repeat(200)}`);
    const echoed = await rest(stack, "/rpc/echo", { method: "POST", headers: service, body: JSON.stringify({ payload: nested }) });
    assert.deepEqual([echoed.status, await echoed.json()], [200, nested]);
    const brackets = await rest(stack, "/rpc/echo", {
      method: "POST",
      headers: service,
      body: JSON.stringify({ payload: "[".repeat(5000) }),
    });
    assert.deepEqual([brackets.status, await brackets.json()], [200, "[".repeat(5000)]);
  });

  it("leaves the data untouched", async () => {
    assert.equal(await databaseFingerprint(), fingerprint);
  });
});
