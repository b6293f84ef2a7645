// Lifecycle of the embedded PostgreSQL cluster: initdb on first use, start with the settings
// Realtime needs (logical WAL) and pg_stat_statements preloaded (as on Supabase, for `supabase
// inspect db`), recover from a crash's leftovers, stop cleanly.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { Logger } from "../log/logger.ts";
import { isProcessAlive } from "../state/stack-state.ts";
import type { PostgresBinaries } from "./embedded-binaries.ts";
import { assertPortFree } from "./port-check.ts";
import { privateSocket } from "./private-socket.ts";
import { findServer } from "./server-binaries.ts";
import { canTraverse, chownTo, postgresRunAs, type RunAs } from "./unprivileged-user.ts";

const isSymlink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

const EXPECTED_DURING_SHUTDOWN = /^FATAL:\s+(terminating connection due to administrator command|the database system is shutting down)/;

/** Superuser created by initdb, as in Supabase's image; every login role's local password. */
export const SUPERUSER = "supabase_admin";
export const LOCAL_PASSWORD = "postgres";

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  host: string;
  logger: Logger;
  /** Where a person sees steps that take seconds (creating the cluster on the first start). */
  progress?: (line: string) => void;
  /** Other PostgreSQL binaries than the embedded ones (tests run Debian's as an "external" server). */
  binaries?: PostgresBinaries & { pkgLibDir?: string };
}

export interface RunningPostgres {
  /** Connection URL for `role` to `database` (default postgres). */
  url(role?: string, database?: string): string;
  /** Folder of the server's Unix socket, reachable by this process only (see private-socket.ts). */
  socketDir: string;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

/** A postmaster.pid whose process is gone is what a crash (or kill -9) leaves behind. */
function clearStalePidFile(dataDir: string, logger: Logger): void {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (pid && isProcessAlive(pid)) {
    throw new Error(`PostgreSQL is already running on ${dataDir} (pid ${pid}). Is another basekit running? Try \`basekit stop\`.`);
  }
  logger.warn("removing postmaster.pid left by a crashed PostgreSQL", { pidFile, pid });
  rmSync(pidFile);
}

/**
 * Where the cluster really lives. Normally `.basekit/db` itself; but when Postgres must run as an
 * unprivileged user that cannot reach the project folder (a project under /root, say), the
 * cluster goes to /var/lib/basekit/<hash> and `.basekit/db` links to it.
 */
function resolveDataDir(dataDir: string, runAs: RunAs | undefined, logger: Logger): string {
  if (existsSync(dataDir) || isSymlink(dataDir) || !runAs) return dataDir;
  const parent = dirname(dataDir);
  mkdirSync(parent, { recursive: true });
  if (canTraverse(parent, runAs)) return dataDir;
  const target = join("/var/lib/basekit", createHash("sha256").update(dataDir).digest("hex").slice(0, 16), "db");
  mkdirSync(dirname(target), { recursive: true, mode: 0o755 });
  chmodSync("/var/lib/basekit", 0o755);
  chmodSync(dirname(target), 0o755);
  symlinkSync(target, dataDir);
  logger.info(`user ${runAs.name} cannot reach ${parent}: keeping the cluster in ${target} (linked from ${dataDir})`);
  return dataDir;
}

function initCluster(bin: PostgresBinaries, linkOrDir: string, logger: Logger): void {
  const runAs = postgresRunAs();
  // Follow the link resolveDataDir may have made; initdb wants the real, empty folder.
  const dataDir = existsSync(linkOrDir) || !isSymlink(linkOrDir) ? linkOrDir : readlinkSync(linkOrDir);
  const staging = `${dataDir}.initializing`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true, mode: 0o700 });
  chownTo(staging, runAs);
  const pwfile = join(dirname(staging), ".pwfile");
  writeFileSync(pwfile, `${LOCAL_PASSWORD}\n`, { mode: 0o600 });
  chownTo(pwfile, runAs);
  logger.info("creating the PostgreSQL cluster (first start)", { dataDir });
  const result = spawnSync(
    bin.initdb,
    [
      "-D",
      staging,
      "-U",
      SUPERUSER,
      `--pwfile=${pwfile}`,
      "--auth-local=trust",
      "--auth-host=scram-sha-256",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "--no-instructions",
    ],
    { uid: runAs?.uid, gid: runAs?.gid, env: { ...process.env, LD_LIBRARY_PATH: bin.libDir }, encoding: "utf8" },
  );
  rmSync(pwfile, { force: true });
  if (result.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`initdb failed:\n${result.stderr || result.stdout || result.error?.message}`);
  }
  renameSync(staging, dataDir);
}

/** A cluster made by another major version cannot be started; say so instead of Postgres' FATAL. */
function assertClusterVersion(dataDir: string, bin: PostgresBinaries): void {
  const clusterMajor = readFileSync(join(dataDir, "PG_VERSION"), "utf8").trim();
  const server = spawnSync(bin.postgres, ["--version"], { encoding: "utf8" }).stdout ?? "";
  const serverMajor = /\(PostgreSQL\) (\d+)/.exec(server)?.[1];
  if (serverMajor && serverMajor !== clusterMajor)
    throw new Error(
      `${dataDir} holds a PostgreSQL ${clusterMajor} cluster but the server to run is PostgreSQL ${serverMajor}. Move or delete that folder (its data is lost) to create a new cluster.`,
    );
}

/** `shared_preload_libraries` the server can load: pg_stat_statements when it ships it. */
function preloadLibraries(dir: string | undefined): string[] {
  if (!dir) return [];
  return [".so", ".dylib"].some((suffix) => existsSync(join(dir, `pg_stat_statements${suffix}`))) ? ["pg_stat_statements"] : [];
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const { dataDir, port, host, logger } = options;
  const bin: PostgresBinaries & { pkgLibDir?: string } = options.binaries ?? findServer(17);
  const runAs = postgresRunAs();
  resolveDataDir(dataDir, runAs, logger);
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    options.progress?.("Creating the PostgreSQL cluster (first start, a few seconds)...");
    initCluster(bin, dataDir, logger);
  }
  assertClusterVersion(dataDir, bin);
  chmodSync(dataDir, 0o700);
  clearStalePidFile(dataDir, logger);
  await assertPortFree(port, host, "database");
  const socket = privateSocket(realpathSync(dataDir), port, runAs);

  const args = [
    "-D",
    // The real folder: the unprivileged user may not be able to pass through the link's folder.
    realpathSync(dataDir),
    "-p",
    String(port),
    "-c",
    `listen_addresses=${host}`,
    "-c",
    `unix_socket_directories="${socket.dir}"`,
    "-c",
    "unix_socket_permissions=0700",
    // Realtime reads changes through logical replication, as Supabase's does.
    "-c",
    "wal_level=logical",
    "-c",
    "max_wal_senders=10",
    "-c",
    "max_replication_slots=10",
    "-c",
    "shared_buffers=64MB",
    "-c",
    "max_connections=200",
    "-c",
    "log_min_messages=warning",
    "-c",
    "log_line_prefix=",
  ];
  const preload = preloadLibraries(bin.pkgLibDir);
  if (preload.length > 0) args.push("-c", `shared_preload_libraries=${preload.join(",")}`);
  const child: ChildProcess = spawn(bin.postgres, args, {
    uid: runAs?.uid,
    gid: runAs?.gid,
    env: { ...process.env, LD_LIBRARY_PATH: bin.libDir, LC_ALL: "C.UTF-8" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and Postgres
    // must not shut down under the services still using it; the stack stops it last.
    detached: true,
  });
  // If this process ends without stopping the stack (an uncaught error, a test runner's exit),
  // ask Postgres for a fast shutdown rather than leave it running orphaned.
  const stopOnExit = () => child.kill("SIGINT");
  process.once("exit", stopOnExit);
  const pgLog = logger.child({ service: "postgres" });
  let recent = "";
  let stopping = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      process.off("exit", stopOnExit);
      socket.remove();
      resolve(code);
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      recent = (recent + text).slice(-4000);
      for (const line of text.split("\n")) {
        if (!line.trim()) continue;
        if (line.includes("ready to accept connections")) resolve();
        // A shutdown we asked for ends every open connection with a FATAL line each: expected, not news.
        else if (stopping && EXPECTED_DURING_SHUTDOWN.test(line)) continue;
        else if (/^(ERROR|FATAL|PANIC|WARNING):/.test(line)) pgLog.warn(line.trim());
        else if (!/^(LOG|DETAIL|HINT|STATEMENT):/.test(line)) pgLog.info(line.trim());
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", reject);
    exited.then((code) => reject(new Error(`PostgreSQL exited during start (code ${code}):\n${recent.trim()}`)));
  });
  await ready;
  logger.info("postgres ready", { port, dataDir, runAs: runAs?.name });

  return {
    url: (role = SUPERUSER, database = "postgres") => `postgresql://${role}:${LOCAL_PASSWORD}@${host}:${port}/${database}`,
    socketDir: socket.dir,
    exited,
    async stop() {
      if (child.exitCode !== null) return;
      stopping = true;
      // SIGINT is Postgres' "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGQUIT"), 15000);
      await exited;
      clearTimeout(timer);
    },
  };
}
