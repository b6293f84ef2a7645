import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { optionsFromUrl, type PostgresServerError, WireConnection } from "./connection.ts";
import { type TestDatabase, testDatabase } from "./test-database.ts";

describe("wire connection", () => {
  let db: TestDatabase;
  let conn: WireConnection;
  before(async () => {
    db = await testDatabase();
    conn = await WireConnection.connect(optionsFromUrl(db.url, "wire-test"));
  });
  after(async () => {
    await conn?.close();
    await db?.dispose();
  });

  it("authenticates and returns text columns by name", async () => {
    const [result] = await conn.run([{ sql: "select $1::int + 1 as n, null::text as nothing, 'é' as accent", params: ["41"] }]);
    assert.deepEqual(result.columns, ["n", "nothing", "accent"]);
    assert.deepEqual(result.rows, [["42", null, "é"]]);
  });

  it("reuses a prepared statement with new values", async () => {
    const sql = "select $1::text || '!' as shout";
    for (const word of ["a", "b", "c"]) {
      const [result] = await conn.run([{ sql, params: [word] }]);
      assert.deepEqual(result.rows, [[`${word}!`]]);
    }
  });

  it("runs a batch as one transaction: local settings last until its Sync", async () => {
    const [, inside] = await conn.run([
      { sql: "select set_config('wire.test', $1, true)", params: ["inside"] },
      { sql: "select current_setting('wire.test', true) as v", params: [] },
    ]);
    assert.deepEqual(inside.rows, [["inside"]]);
    const [outside] = await conn.run([{ sql: "select coalesce(current_setting('wire.test', true), '') as v", params: [] }]);
    assert.deepEqual(outside.rows, [[""]]);
  });

  it("rolls back the whole batch on an error and reports the server's fields", async () => {
    await assert.rejects(
      conn.run([
        { sql: "select set_config('wire.kept', 'yes', false)", params: [] },
        { sql: "select 1 / $1::int", params: ["0"] },
      ]),
      (error: PostgresServerError) => {
        assert.equal(error.name, "PostgresError");
        assert.equal(error.code, "22012");
        assert.equal(error.message, "division by zero");
        assert.equal(error.severity, "ERROR");
        return true;
      },
    );
    const [after] = await conn.run([{ sql: "select coalesce(current_setting('wire.kept', true), '') as v", params: [] }]);
    assert.deepEqual(after.rows, [[""]], "a session-level set_config in the failed batch is rolled back too");
  });

  it("reports parse errors with their position and parses the statement again next time", async () => {
    const sql = "select no_such_column_xyz from pg_class";
    for (let i = 0; i < 2; i++) {
      await assert.rejects(conn.run([{ sql, params: [] }]), (error: PostgresServerError) => {
        assert.equal(error.code, "42703");
        assert.equal(error.position, "8");
        assert.equal(error.retryable, false);
        return true;
      });
    }
  });

  it("refuses statement text holding a NUL without sending it, and batches pipelined beside it still run", async () => {
    const before = conn.run([{ sql: "select $1::int as n", params: ["1"] }]);
    const poisoned = conn.run([{ sql: 'select 1 as "a\u0000b"', params: [] }]);
    const after = conn.run([{ sql: "select $1::int as n", params: ["2"] }]);
    await assert.rejects(poisoned, /NUL/);
    assert.deepEqual((await before)[0].rows, [["1"]]);
    assert.deepEqual((await after)[0].rows, [["2"]]);
    assert.equal(conn.closed, false);
  });

  it("answers pipelined batches in order", async () => {
    const runs = Array.from({ length: 50 }, (_, i) => conn.run([{ sql: "select $1::int * 2 as twice", params: [String(i)] }]));
    const results = await Promise.all(runs);
    assert.deepEqual(
      results.map(([r]) => r.rows[0][0]),
      Array.from({ length: 50 }, (_, i) => String(i * 2)),
    );
  });

  it("reads a result larger than one socket chunk", async () => {
    const [result] = await conn.run([{ sql: "select repeat('x', $1::int) as big", params: ["300000"] }]);
    assert.equal(result.rows[0][0]?.length, 300000);
  });

  it("reports the server's error when the backend is terminated mid-batch", async () => {
    const victim = await WireConnection.connect(optionsFromUrl(db.url));
    try {
      const [pid] = await victim.run([{ sql: "select pg_backend_pid()::text", params: [] }]);
      // Expect the rejection before provoking it, so it is never an unhandled one.
      const rejected = assert.rejects(
        victim.run([{ sql: "select pg_sleep(30)", params: [] }]),
        (error: PostgresServerError) => error.code === "57P01",
      );
      const terminate = "select pg_terminate_backend(pid)::text from pg_stat_activity where pid = $1::int and wait_event = 'PgSleep'";
      for (let tries = 0; tries < 200; tries++) {
        const [done] = await conn.run([{ sql: terminate, params: [pid.rows[0][0]] }]);
        if (done.rows.length) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await rejected;
      assert.equal(victim.closed, true);
    } finally {
      await victim.close();
    }
  });

  it("refuses a wrong password", async () => {
    const options = { ...optionsFromUrl(db.url), password: "not-the-password" };
    await assert.rejects(WireConnection.connect(options), (error: PostgresServerError) => error.code === "28P01");
  });
});
