// When no pgTAP is installed, Debian's packaged pgTAP is fetched with apt-get and only its files
// are unpacked (pgTAP is plain SQL): no PostgreSQL server is installed beside the embedded one and
// nothing on the system changes. `apt-get update` runs only when the package lists lack it, and
// only as root; elsewhere the caller fails with the command to run.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FetchedPgTap {
  /** The unpacked extension folder holding pgtap.control. */
  dir: string;
  /** The temporary folder to remove once the files are copied. */
  scratch: string;
}

const run = (command: string, args: string[], cwd?: string) => spawnSync(command, args, { cwd, encoding: "utf8" });

/** The newest postgresql-NN-pgtap the package lists name, if any. */
function packageName(): string | undefined {
  const search = run("apt-cache", ["search", "--names-only", "^postgresql-[0-9]+-pgtap$"]);
  const names = (search.stdout ?? "")
    .split("\n")
    .map((line) => line.split(" ")[0])
    .filter(Boolean);
  return names.sort((a, b) => Number(/\d+/.exec(b)?.[0]) - Number(/\d+/.exec(a)?.[0]))[0];
}

/** Fetches and unpacks pgTAP with apt-get; undefined where that cannot be done here. */
export function fetchPgTapWithApt(log: (line: string) => void): FetchedPgTap | undefined {
  if (process.platform !== "linux" || run("apt-get", ["--version"]).status !== 0) return undefined;
  let name = packageName();
  const isRoot = process.getuid?.() === 0;
  if (!name && isRoot) {
    log("pgTAP is not installed: updating apt's package lists to find it...");
    run("apt-get", ["update", "-qq"]);
    name = packageName();
  }
  if (!name) return undefined;
  log(`pgTAP is not installed: fetching Debian's ${name} with apt-get (its SQL files only, no server)...`);
  const scratch = mkdtempSync(join(tmpdir(), "basekit-pgtap-"));
  // As root apt-get drops to its _apt user, who cannot write a private temp folder: stay root.
  const download = run("apt-get", ["download", ...(isRoot ? ["-o", "APT::Sandbox::User=root"] : []), name], scratch);
  const deb = readdirSync(scratch).find((file) => file.endsWith(".deb"));
  if (download.status !== 0 || !deb) return undefined;
  const unpacked = join(scratch, "root");
  if (run("dpkg-deb", ["-x", join(scratch, deb), unpacked]).status !== 0) return undefined;
  const share = join(unpacked, "usr", "share", "postgresql");
  const version = existsSync(share)
    ? readdirSync(share).find((dir) => existsSync(join(share, dir, "extension", "pgtap.control")))
    : undefined;
  return version ? { dir: join(share, version, "extension"), scratch } : undefined;
}
