import assert from "node:assert/strict";
import { test } from "node:test";
import { endsInRollback, honourTxPreference } from "./transaction-end.ts";

test("transaction end: db_tx_end alone decides without -allow-override, and tx= is not honoured", () => {
  assert.deepEqual(honourTxPreference({ tx: "rollback", count: "exact" }, "commit"), { count: "exact" });
  assert.equal(endsInRollback({ tx: "rollback" }, "commit"), false);
  assert.equal(endsInRollback({ tx: "commit" }, "rollback"), true);
  assert.equal(endsInRollback({}, "rollback"), true);
  assert.equal(endsInRollback({}, "commit"), false);
});

test("transaction end: with -allow-override Prefer tx= chooses, else the default", () => {
  assert.deepEqual(honourTxPreference({ tx: "rollback" }, "commit-allow-override"), { tx: "rollback" });
  assert.equal(endsInRollback({ tx: "rollback" }, "commit-allow-override"), true);
  assert.equal(endsInRollback({}, "commit-allow-override"), false);
  assert.equal(endsInRollback({ tx: "commit" }, "rollback-allow-override"), false);
  assert.equal(endsInRollback({}, "rollback-allow-override"), true);
});
