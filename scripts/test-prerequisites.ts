// What `npm test` needs beyond `npm install`, checked before the stack starts so that a missing
// prerequisite fails the run in its first seconds, not after hundreds of tests: pgTAP for the
// database suites (fetched with apt-get when missing), Chromium for the browser tests (the npm
// package's when the system has none). Each failure names the one command that fixes it.
import { installPgTapFiles } from "../packages/local-stack/src/db/pgtap/install-pgtap.ts";
import { findChromium } from "../web/e2e/support/chromium-path.ts";

export interface TestNeeds {
  pgtap: boolean;
  browser: boolean;
}

/** Makes the prerequisites ready; returns the variables the tests need to find them. */
export async function prepareTestPrerequisites(needs: TestNeeds, log: (line: string) => void = console.log): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {};
  // An external server (DATABASE_URL) has its own extension folder, which we do not write to.
  if (needs.pgtap && !process.env.DATABASE_URL) installPgTapFiles(undefined, undefined, { log });
  if (needs.browser) env.BASEKIT_CHROMIUM_PATH = await findChromium(process.env, log);
  return env;
}
