// Which functions the project has and how each is configured: `supabase/functions/<slug>/index.ts`
// plus `[functions.<slug>]` entries, as the Supabase CLI finds them. Looked up per request, so a
// function added while the stack runs is served without a restart.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type StackConfig, section } from "../config/load-config.ts";

export interface FunctionSpec {
  name: string;
  /** Absolute path of the entrypoint module. */
  entrypoint: string;
  /** The folder the function lives in (its working directory). */
  dir: string;
  verifyJwt: boolean;
  /** A deno.json / deno.jsonc (passed as `--config`) or an import map (`--import-map`). */
  denoConfig?: string;
  importMap?: string;
}

/** Served slugs: a letter, then letters, digits, `_` and `-`; `_shared` and dot-folders never match. */
const SLUG = /^[A-Za-z][A-Za-z0-9_-]*$/;

const functionsDir = (config: StackConfig) => join(config.supabaseDir, "functions");

/** Per-call flags of `functions serve` have no equivalent here; config.toml decides. */
export function resolveFunction(config: StackConfig, name: string): FunctionSpec | undefined {
  if (!SLUG.test(name)) return undefined;
  const settings = section(config, "functions", name);
  if (settings.enabled === false) return undefined;
  const dir = join(functionsDir(config), name);
  const entrypoint =
    typeof settings.entrypoint === "string" && settings.entrypoint
      ? resolve(config.supabaseDir, settings.entrypoint)
      : join(dir, "index.ts");
  if (!existsSync(entrypoint)) return undefined;
  const spec: FunctionSpec = {
    name,
    entrypoint,
    dir: existsSync(dir) ? dir : resolve(entrypoint, ".."),
    verifyJwt: settings.verify_jwt !== false,
  };
  const configured =
    typeof settings.import_map === "string" && settings.import_map ? resolve(config.supabaseDir, settings.import_map) : undefined;
  const candidates = configured
    ? [configured]
    : ["deno.json", "deno.jsonc", "import_map.json"]
        .map((file) => join(spec.dir, file))
        .concat(join(functionsDir(config), "import_map.json"));
  const found = candidates.find((file) => existsSync(file));
  if (found && /deno\.jsonc?$/.test(found)) spec.denoConfig = found;
  else if (found) spec.importMap = found;
  return spec;
}

/** Every function the project serves, for health and logs. */
export function listFunctions(config: StackConfig): string[] {
  const dir = functionsDir(config);
  const names = new Set(Object.keys(section(config, "functions")));
  if (existsSync(dir)) for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) names.add(entry.name);
  return [...names].filter((name) => resolveFunction(config, name)).sort();
}
