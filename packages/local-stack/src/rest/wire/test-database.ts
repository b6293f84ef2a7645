// The database the wire tests talk to: the test stack's (SUPABASE_DB_URL, from `npm test`) or,
// run alone, a fixture stack of its own.
import type { FixtureStack } from "../../testing/fixture-stack.ts";
import { startRestFixture } from "../test-fixture/start-rest-fixture.ts";

export interface TestDatabase {
  /** A superuser (or `postgres`) URL. */
  url: string;
  dispose(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  const given = process.env.SUPABASE_DB_URL;
  if (given) return { url: given, dispose: async () => {} };
  const stack: FixtureStack = await startRestFixture();
  return { url: stack.db.url("postgres"), dispose: () => stack.dispose() };
}
