// PostgreSQL refuses to run as root. When basekit runs as root (containers, CI), Postgres runs as
// an unprivileged system user instead, and owns its data directory.
import { chownSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";

export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

/** Returns who Postgres should run as, or undefined when the current user is not root. */
export function postgresRunAs(): RunAs | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const wanted = process.env.BASEKIT_PG_USER ?? "nobody";
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.split(":")[0] === wanted);
  if (!line) throw new Error(`Running as root, but user "${wanted}" to run Postgres as does not exist (set BASEKIT_PG_USER).`);
  const [, , uid, gid] = line.split(":");
  return { name: wanted, uid: Number(uid), gid: Number(gid) };
}

export function chownTo(path: string, runAs: RunAs | undefined): void {
  if (runAs) chownSync(path, runAs.uid, runAs.gid);
}

/** Whether `runAs` may reach `path`: every ancestor folder must grant it search (x) permission. */
export function canTraverse(path: string, runAs: RunAs): boolean {
  for (let dir = path; ; dir = dirname(dir)) {
    const { mode, uid, gid } = statSync(dir);
    const bit = uid === runAs.uid ? 0o100 : gid === runAs.gid ? 0o010 : 0o001;
    if ((mode & bit) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}
