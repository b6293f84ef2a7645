// Which Chromium the browser tests drive: BASEKIT_CHROMIUM_PATH if set, else the system's, else the
// one the @sparticuz/chromium npm package ships (brotli-compressed inside the package), unpacked
// once into node_modules/.cache so a fresh machine needs nothing but `npm install`.
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";

export class ChromiumMissingError extends Error {}

/** Where distributions and vendors put Chromium or Chrome; the first that exists wins. */
export const SYSTEM_CHROMIUM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome-stable",
  "/usr/bin/google-chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

const INSTALL_HINT =
  "Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) or set BASEKIT_CHROMIUM_PATH to a Chromium or Chrome binary.";

export function findSystemChromium(env: NodeJS.ProcessEnv = process.env, candidates = SYSTEM_CHROMIUM_PATHS): string | undefined {
  // BASEKIT_IGNORE_SYSTEM=chromium hides the system's, so CI can prove the npm fallback works.
  if ((env.BASEKIT_IGNORE_SYSTEM ?? "").split(/[\s,]+/).includes("chromium")) return undefined;
  return candidates.find((path) => existsSync(path));
}

/** The package's folder, or undefined where it is not installed or ships no binary for this machine. */
function npmChromiumPackage(): { dir: string; version: string } | undefined {
  // The package ships a Linux x64 build only.
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
  } catch {
    return undefined;
  }
  const dir = join(dirname(entry), "..");
  const { version } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string };
  return existsSync(join(dir, "bin", "chromium.br")) ? { dir, version } : undefined;
}

/**
 * Unpacks the npm package's Chromium on first use (about 200 MB, a few seconds) and returns its
 * path. Written under a temporary name and renamed, so a run stopped midway leaves no half file.
 */
export async function unpackNpmChromium(log: (line: string) => void = console.log): Promise<string | undefined> {
  const pkg = npmChromiumPackage();
  if (!pkg) return undefined;
  const cacheDir = join(pkg.dir, "..", "..", ".cache", "basekit", `chromium-${pkg.version}`);
  const binary = join(cacheDir, "chromium");
  if (existsSync(binary)) return binary;
  log(`No system Chromium: unpacking Chromium ${pkg.version} from the @sparticuz/chromium npm package into ${cacheDir} (first use)...`);
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  try {
    await pipeline(createReadStream(join(pkg.dir, "bin", "chromium.br")), createBrotliDecompress(), createWriteStream(partial));
    chmodSync(partial, 0o755);
    renameSync(partial, binary);
  } finally {
    rmSync(partial, { force: true });
  }
  return binary;
}

/** The Chromium to launch; throws ChromiumMissingError naming what to install when there is none. */
export async function findChromium(env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): Promise<string> {
  const chosen = env.BASEKIT_CHROMIUM_PATH || env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new ChromiumMissingError(`BASEKIT_CHROMIUM_PATH points to a missing file: ${chosen}`);
    return chosen;
  }
  const found = findSystemChromium(env) ?? (await unpackNpmChromium(log));
  if (!found) throw new ChromiumMissingError(`No Chromium found for the browser tests. ${INSTALL_HINT}`);
  return found;
}
