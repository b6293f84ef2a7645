// /graphql/v1 without pg_graphql, which stock PostgreSQL does not ship: Supabase routes the path
// to PostgREST's /rpc/graphql, whose placeholder answers GraphQL's `{errors}` shape when the
// extension is absent. This answers the same, saying why, so a GraphQL client reads one clear error
// instead of a gateway 404. Named so `basekit status` does not list a GraphQL URL.
import { json, type Service } from "../gateway/types.ts";

export const GRAPHQL_NOT_SERVED =
  "pg_graphql extension is not enabled. basekit's local stack does not serve GraphQL (/graphql/v1): " +
  "pg_graphql is not available for the stock PostgreSQL it runs; use the REST API (/rest/v1) or the Supabase CLI's Docker stack.";

export function createGraphqlPlaceholderService(): Service {
  return {
    name: "graphql-not-served",
    prefix: "/graphql/v1",
    handle: () => json(200, { errors: [{ message: GRAPHQL_NOT_SERVED }] }),
    health: () => ({ status: "not served locally" }),
  };
}
