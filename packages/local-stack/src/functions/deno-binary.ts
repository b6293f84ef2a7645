// Finds the Deno executable shipped by the `deno` npm package (its platform binary comes as an
// optional dependency; the package's own installer copies or locates it without a postinstall).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

let cached: string | undefined;

export class DenoNotFoundError extends Error {}

export function denoBinary(): string {
  if (cached) return cached;
  const override = process.env.BASEKIT_DENO_PATH;
  if (override) {
    if (!existsSync(override)) throw new DenoNotFoundError(`BASEKIT_DENO_PATH points to a missing file: ${override}`);
    cached = override;
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    const installer = require("deno/install_api.cjs") as { runInstall(): string };
    cached = installer.runInstall();
    return cached;
  } catch (error) {
    throw new DenoNotFoundError(
      `Deno is needed for Edge Functions and was not found (${(error as Error).message}). Run \`npm install\` so the deno package and its platform binary are present.`,
    );
  }
}
