// The embedded server's Unix socket, in a folder only the stack's own user (and root) can reach.
// Socket connections are trusted (initdb --auth-local=trust), so through it the stack can open a
// session as any role without its password, as pg_cron does to run a job as its owner, while
// nobody else on the machine can connect that way.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chownTo, type RunAs } from "./unprivileged-user.ts";

/** A socket path is at most 107 bytes (sun_path); leave room for the port. */
const MAX_SOCKET_PATH = 100;

export interface PrivateSocket {
  dir: string;
  remove(): void;
}

/** The cluster folder (0700, the server's own) when its path is short enough, else a private temporary folder. */
export function privateSocket(dataDir: string, port: number, runAs: RunAs | undefined): PrivateSocket {
  const fits = (dir: string) => Buffer.byteLength(join(dir, `.s.PGSQL.${port}`)) <= MAX_SOCKET_PATH && !/[",]/.test(dir);
  if (fits(dataDir)) return { dir: dataDir, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), "basekit-pg-"));
  chownTo(dir, runAs);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
