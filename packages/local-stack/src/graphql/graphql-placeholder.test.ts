// /graphql/v1 answers GraphQL's error shape saying it is not served, for a GraphQL client's POST
// and GET alike, instead of the gateway's "no Route matched" 404.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GRAPHQL_NOT_SERVED } from "./graphql-placeholder.ts";

const apiUrl = process.env.SUPABASE_URL ?? "";
const anonKey = process.env.SUPABASE_ANON_KEY ?? "";

test("a GraphQL POST answers {errors} saying pg_graphql is not enabled and GraphQL is not served locally", async () => {
  const response = await fetch(`${apiUrl}/graphql/v1`, {
    method: "POST",
    headers: { apikey: anonKey, authorization: `Bearer ${anonKey}`, "content-type": "application/json" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json/);
  assert.deepEqual(await response.json(), { errors: [{ message: GRAPHQL_NOT_SERVED }] });
  assert.match(GRAPHQL_NOT_SERVED, /^pg_graphql extension is not enabled\. .*does not serve GraphQL/);
});

test("a GraphQL GET with the query in the URL gets the same answer", async () => {
  const response = await fetch(`${apiUrl}/graphql/v1?query=${encodeURIComponent("{ __typename }")}`, { headers: { apikey: anonKey } });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { errors: [{ message: GRAPHQL_NOT_SERVED }] });
});
