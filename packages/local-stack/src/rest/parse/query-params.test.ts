import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RestError } from "../errors.ts";
import { parseQuery } from "./query-params.ts";

const parseFailure = (e: RestError) => e.status === 400 && e.code === "PGRST100";

describe("parseQuery", () => {
  it("refuses a parameter that takes one value when it comes twice", () => {
    for (const search of [
      "select=id&select=*",
      "limit=1&limit=1000",
      "offset=0&offset=5",
      "order=id&order=title.desc",
      "actors.limit=1&actors.limit=2",
      "columns=a&columns=b",
      "on_conflict=a&on_conflict=b",
    ])
      assert.throws(() => parseQuery(search), parseFailure, search);
  });

  it("keeps repeats that PostgREST combines: filters and logic trees are ANDed", () => {
    const query = parseQuery("id=gt.1&id=lt.5&or=(a.eq.1,b.eq.2)&or=(c.eq.3)&limit=1&actors.limit=2&films.actors.limit=3");
    const root = query.nodes.get("");
    assert.equal(root?.filters.length, 4);
    assert.deepEqual([root?.limit, query.nodes.get("actors")?.limit, query.nodes.get("films.actors")?.limit], [1, 2, 3]);
  });

  it("gathers repeated RPC arguments (variadic) for the function call to judge", () => {
    const query = parseQuery("v=1&v=2&limit=1", true);
    assert.deepEqual(query.args.get("v"), ["1", "2"]);
  });
});
