import assert from "node:assert/strict";
import { test } from "node:test";
import { applyInDatabaseConfig, type RestSettings } from "./in-database-config.ts";

const base: RestSettings = {
  schemas: ["public", "graphql_public"],
  extraSearchPath: ["public", "extensions"],
  maxRows: 1000,
  externalUrl: "http://127.0.0.1:54321",
  planEnabled: false,
  aggregatesEnabled: false,
  txEnd: "commit",
};

test("in-database config: pgrst.* values override config.toml's", () => {
  const { settings, problems } = applyInDatabaseConfig(base, {
    db_schemas: "api, public",
    db_extra_search_path: "extensions",
    db_max_rows: "25",
    db_plan_enabled: "off",
    db_aggregates_enabled: "on",
    db_tx_end: "rollback-allow-override",
    db_pre_request: "public.check",
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(settings, {
    ...base,
    schemas: ["api", "public"],
    extraSearchPath: ["extensions"],
    maxRows: 25,
    aggregatesEnabled: true,
    txEnd: "rollback-allow-override",
  });
});

test("in-database config: an empty db_max_rows lifts the cap", () => {
  assert.equal(applyInDatabaseConfig(base, { db_max_rows: "" }).settings.maxRows, null);
});

test("in-database config: invalid and unsupported values are named and keep the base value", () => {
  const { settings, problems } = applyInDatabaseConfig(base, {
    db_max_rows: "-3",
    db_plan_enabled: "maybe",
    db_tx_end: "abort",
    db_schemas: " , ",
    jwt_aud: "x",
    db_aggregates_enabled: "true",
  });
  assert.deepEqual(settings, { ...base, aggregatesEnabled: true });
  assert.deepEqual(problems, [
    "pgrst.db_max_rows = '-3' is not a valid value; ignored",
    "pgrst.db_plan_enabled = 'maybe' is not a valid value; ignored",
    "pgrst.db_tx_end = 'abort' is not a valid value; ignored",
    "pgrst.db_schemas = ' , ' is not a valid value; ignored",
    "pgrst.jwt_aud is not supported locally; ignored",
  ]);
  assert.deepEqual(applyInDatabaseConfig(base, { db_plan_enabled: "true" }).problems, [
    "pgrst.db_plan_enabled = 'true' is not supported locally; ignored",
  ]);
});
