// PostgreSQL refuses to run as root. When basekit runs as root (containers, CI), Postgres runs as
// an unprivileged system user instead, and owns its data directory.
import { chownSync, readFileSync } from "node:fs";

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
