import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_JSON_DEPTH } from "../../gateway/json-depth.ts";
import type { RestError } from "../errors.ts";
import { parseJsonBody } from "./json-body.ts";

describe("parseJsonBody", () => {
  it("parses bodies up to the nesting limit and takes a blank body as the fallback", () => {
    const deepest = `${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`;
    assert.equal(JSON.stringify(parseJsonBody(deepest)), deepest);
    assert.deepEqual(parseJsonBody("  "), {});
    assert.deepEqual(parseJsonBody("", null), null);
  });

  it("refuses nesting past the limit with PGRST102, without recursing", () => {
    for (const body of [
      `${"[".repeat(MAX_JSON_DEPTH + 1)}${"]".repeat(MAX_JSON_DEPTH + 1)}`,
      `{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}`,
    ]) {
      assert.throws(
        () => parseJsonBody(body),
        (e: RestError) => e.status === 400 && e.code === "PGRST102" && /more than 512 levels/.test(String(e.details)),
      );
    }
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ a: "[".repeat(1000), b: '\\"[[[', c: [["x"]] });
    assert.deepEqual(parseJsonBody(text), JSON.parse(text));
  });

  it("answers invalid JSON with PostgREST's message", () => {
    assert.throws(
      () => parseJsonBody("{nope"),
      (e: RestError) => e.code === "PGRST102" && e.message === "Empty or invalid json",
    );
  });
});
