import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULT_JWT_SECRET } from "../config/load-config.ts";
import { roleKey } from "./api-keys.ts";

test("the default secret yields the Supabase CLI's demo anon and service_role keys", () => {
  assert.equal(
    roleKey("anon", DEFAULT_JWT_SECRET),
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0",
  );
  assert.equal(
    roleKey("service_role", DEFAULT_JWT_SECRET),
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vfcm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU",
  );
});

test("another secret yields other keys", () => {
  assert.notEqual(roleKey("anon", "x".repeat(40)), roleKey("anon", DEFAULT_JWT_SECRET));
});
