import assert from "node:assert/strict";
import { test } from "node:test";
import { RestError } from "../errors.ts";
import { chooseProfile } from "./profile.ts";

const schemas = ["public", "graphql_public"];

test("profile: Accept-Profile on reads, Content-Profile on writes, else the first schema", () => {
  assert.deepEqual(chooseProfile("GET", {}, schemas), { schema: "public", explicit: false });
  assert.deepEqual(chooseProfile("GET", { accept: "graphql_public", content: "x" }, schemas), { schema: "graphql_public", explicit: true });
  assert.deepEqual(chooseProfile("POST", { accept: "x", content: "graphql_public" }, schemas), {
    schema: "graphql_public",
    explicit: true,
  });
});

test("profile: an unexposed schema is PGRST106 naming the exposed ones", () => {
  assert.throws(
    () => chooseProfile("HEAD", { accept: "auth" }, schemas),
    (error: unknown) =>
      error instanceof RestError &&
      error.status === 406 &&
      error.code === "PGRST106" &&
      error.message === "Invalid schema: auth" &&
      error.hint === "Only the following schemas are exposed: public, graphql_public",
  );
});
