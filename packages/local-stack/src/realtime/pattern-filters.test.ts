// Pattern filters decided by Postgres's own engines, on the test stack's database.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { connect } from "../db/connect.ts";
import { type PatternCheck, PatternError, PatternMatcher } from "./pattern-filters.ts";

const sql = connect(process.env.SUPABASE_DB_URL ?? "", { max: 2, connection: { statement_timeout: 300 } as never });
const matcher = new PatternMatcher(sql);
after(() => sql.end());

const outcome = async (check: PatternCheck) => (await matcher.evaluate([check]))[0];

describe("pattern filters in Postgres", () => {
  test("like and ilike match the whole value with % and _ wildcards and backslash escapes", async () => {
    const cases: [PatternCheck, boolean][] = [
      [{ op: "like", pattern: "hel%", value: "hello" }, true],
      [{ op: "like", pattern: "hel%", value: "Hello" }, false],
      [{ op: "ilike", pattern: "hel%", value: "HELLO" }, true],
      [{ op: "like", pattern: "h_llo", value: "hallo" }, true],
      [{ op: "like", pattern: "ell", value: "hello" }, false],
      [{ op: "like", pattern: "50\\%", value: "50%" }, true],
      [{ op: "like", pattern: "50\\%", value: "500" }, false],
      [{ op: "like", pattern: "a.c", value: "abc" }, false],
    ];
    assert.deepEqual(
      await matcher.evaluate(cases.map(([check]) => check)),
      cases.map(([, expected]) => expected),
    );
  });

  test("match and imatch find a POSIX regular expression anywhere in the value", async () => {
    assert.equal(await outcome({ op: "match", pattern: "^post-[0-9]+", value: "post-12 draft" }), true);
    assert.equal(await outcome({ op: "match", pattern: "^post-", value: "Post-1" }), false);
    assert.equal(await outcome({ op: "imatch", pattern: "^post-", value: "Post-1" }), true);
  });

  test("a pattern that backtracks exponentially in JavaScript is decided at once", async () => {
    const value = `${"a".repeat(40)}!`;
    assert.equal(await outcome({ op: "match", pattern: "^(a|a)*$", value }), false);
    assert.equal(await outcome({ op: "match", pattern: "^(a|a)*!$", value }), true);
  });

  test("a pattern Postgres gives up on fails alone; the other checks of the batch are still decided", async () => {
    const hard: PatternCheck = { op: "match", pattern: "^(a*)(a*)(a*)\\1\\2\\3$", value: "a".repeat(301) };
    const [easy, failed, other] = await matcher.evaluate([
      { op: "match", pattern: "^a", value: "abc" },
      hard,
      { op: "like", pattern: "x%", value: "abc" },
    ]);
    assert.equal(easy, true);
    assert.ok(failed instanceof PatternError);
    assert.equal(failed.detail, "ERROR 57014 (query_canceled) canceling statement due to statement timeout");
    assert.equal(other, false);
  });

  test("validate refuses what Postgres cannot compile, with Supabase's exception text", async () => {
    assert.equal(await matcher.validate("match", "^ok[0-9]+$"), undefined);
    assert.equal(await matcher.validate("like", "50\\\\"), undefined);
    assert.equal(
      (await matcher.validate("match", "(unclosed"))?.detail,
      "ERROR P0001 (raise_exception) invalid regular expression for match filter: invalid regular expression: parentheses () not balanced",
    );
    assert.equal(
      (await matcher.validate("ilike", "50\\"))?.detail,
      "ERROR 22025 (invalid_escape_sequence) LIKE pattern must not end with escape character",
    );
  });
});
