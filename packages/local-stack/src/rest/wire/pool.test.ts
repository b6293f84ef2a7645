import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { ConnectionLostError, optionsFromUrl, type PostgresServerError } from "./connection.ts";
import { WirePool } from "./pool.ts";
import { type TestDatabase, testDatabase } from "./test-database.ts";

describe("wire pool", () => {
  let db: TestDatabase;
  before(async () => {
    db = await testDatabase();
  });
  after(async () => {
    await db?.dispose();
  });

  it("spreads concurrent batches over up to `max` connections", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), max: 3 });
    try {
      const runs = Array.from({ length: 40 }, (_, i) =>
        pool.run([{ sql: "select pg_backend_pid()::text as pid, $1::text as i", params: [String(i)] }]),
      );
      const results = await Promise.all(runs);
      assert.deepEqual(
        results.map(([r]) => r.rows[0][1]),
        Array.from({ length: 40 }, (_, i) => String(i)),
      );
      const pids = new Set(results.map(([r]) => r.rows[0][0]));
      assert.ok(pids.size >= 1 && pids.size <= 3, `used ${pids.size} connections`);
    } finally {
      await pool.end();
    }
  });

  it("runs a batch again when its cached statement's result type changed", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), max: 1 });
    const table = `public.wire_stale_${randomBytes(4).toString("hex")}`;
    try {
      await pool.run([{ sql: `create table ${table} (a int)`, params: [] }]);
      await pool.run([{ sql: `insert into ${table} values (1)`, params: [] }]);
      const sql = `select * from ${table}`;
      const [first] = await pool.run([{ sql, params: [] }]);
      assert.deepEqual(first.columns, ["a"]);
      await pool.run([{ sql: `alter table ${table} add column b text default 'x'`, params: [] }]);
      const [second] = await pool.run([{ sql, params: [] }]);
      assert.deepEqual([second.columns, second.rows], [["a", "b"], [["1", "x"]]]);
    } finally {
      await pool.run([{ sql: `drop table if exists ${table}`, params: [] }]);
      await pool.end();
    }
  });

  it("reports the real error to every concurrent user of a statement whose Parse failed", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), max: 1 });
    try {
      const sql = "select missing_column_for_wire_test from pg_class";
      const runs = Array.from({ length: 3 }, () => pool.run([{ sql, params: [] }]));
      for (const run of runs) await assert.rejects(run, (error: PostgresServerError) => error.code === "42703");
      const [ok] = await pool.run([{ sql: "select 1 as one", params: [] }]);
      assert.deepEqual(ok.rows, [["1"]]);
    } finally {
      await pool.end();
    }
  });

  it("does not queue new batches behind a slow one while another connection can take them", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), max: 2, pipeline: 8, slowAfter: 20 });
    try {
      await pool.run([{ sql: "select 1", params: [] }]);
      const finished: string[] = [];
      const slow = pool.run([{ sql: "select pg_sleep(1)", params: [] }]).then(() => finished.push("slow"));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const fast = pool.run([{ sql: "select 1", params: [] }]).then(() => finished.push("fast"));
      await Promise.all([slow, fast]);
      assert.deepEqual(finished, ["fast", "slow"]);
    } finally {
      await pool.end();
    }
  });

  it("fails with ConnectionLostError when the database cannot be reached", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), host: "127.0.0.1", port: 1, max: 1 });
    try {
      await assert.rejects(pool.run([{ sql: "select 1", params: [] }]), ConnectionLostError);
    } finally {
      await pool.end();
    }
  });

  it("refuses work once ended", async () => {
    const pool = new WirePool({ ...optionsFromUrl(db.url), max: 1 });
    await pool.run([{ sql: "select 1", params: [] }]);
    await pool.end();
    await assert.rejects(pool.run([{ sql: "select 1", params: [] }]), /closed/);
  });
});
