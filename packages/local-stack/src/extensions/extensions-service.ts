// basekit's pg_net and pg_cron at work: the worker that sends the HTTP requests queued with
// net.http_* and the scheduler that runs cron jobs, as a Service without routes (its state shows
// in /health). Each works only while the database's installed extension is basekit's own (the
// embedded server's); where the real pg_net / pg_cron is installed (an external server that has
// them), their own background workers do this and these stay idle. Both keep working across
// `basekit db reset`: they reconnect, and find the extensions again once the new database has them.
import { createConnection } from "node:net";
import { connect } from "../db/connect.ts";
import type { Service } from "../gateway/types.ts";
import type { StackContext } from "../services.ts";
import { NotificationListener } from "./notification-listener.ts";
import { CronScheduler } from "./pg-cron/cron-scheduler.ts";
import { NetWorker } from "./pg-net/net-worker.ts";
import { PG_NET_VERSION } from "./pg-net/send-request.ts";

/** How often the queue is swept and cron.job re-read, besides NOTIFY. */
const SWEEP_MS = 5000;
/** pg_cron wakes up at least every second. */
const TICK_MS = 1000;
/** Response bodies above this are not stored (error_msg says so). */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** Requests to the stack's own API (Edge Functions) must not be sent before the gateway listens. */
async function untilListening(host: string, port: number, cancelled: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 300 && !cancelled(); attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function createExtensionsService(context: StackContext): Service | undefined {
  const { db, config, logger } = context;
  const log = logger.child({ service: "extensions" });
  const sql = connect(db.adminUrl, { max: 4, connection: { application_name: "basekit extensions" } });
  const net = new NetWorker(sql, log.child({ extension: "pg_net" }), { maxResponseBytes: MAX_RESPONSE_BYTES });
  const socketDir = db.socketDir;
  const cron = new CronScheduler({
    sql,
    logger: log.child({ extension: "pg_cron" }),
    connectAs: (username, database) => {
      const session = { max: 1, connection: { application_name: "pg_cron" } };
      if (socketDir) {
        return connect(`postgresql://localhost/${encodeURIComponent(database)}`, {
          ...session,
          host: socketDir,
          port: config.db.port,
          user: username,
        });
      }
      // A server basekit does not run: the job's role with the local password, as the CLI's roles have.
      const url = new URL(db.url(username));
      url.pathname = `/${encodeURIComponent(database)}`;
      return connect(url.toString(), session);
    },
  });
  const refreshCron = () =>
    cron
      .reload()
      .then(() => cron.tick())
      .catch((error: Error) => log.debug("cron.job not read", { error: error.message }));
  const listener = new NotificationListener({
    url: db.adminUrl,
    applicationName: `pg_net ${PG_NET_VERSION} worker`,
    channels: ["pg_net", "pg_cron"],
    onNotify: (channel) => (channel === "pg_net" ? net.wake() : void refreshCron()),
    onListening: () => {
      net.wake();
      void refreshCron();
    },
    logger: log,
  });

  const timers: NodeJS.Timeout[] = [];
  let closed = false;
  const started = untilListening(config.host, config.api.port, () => closed).then(async () => {
    if (closed) return;
    await cron.markInterruptedRuns();
    await listener.start();
    timers.push(
      setInterval(() => cron.tick(), TICK_MS),
      setInterval(() => {
        listener.check().catch((error: Error) => log.debug("notification listener check failed", { error: error.message }));
        net.wake();
        void refreshCron();
      }, SWEEP_MS),
    );
    for (const timer of timers) timer.unref();
    log.info("pg_net worker and pg_cron scheduler running");
  });

  return {
    name: "extensions",
    health: () => ({ status: "ok", pg_net: net.health(), pg_cron: cron.health() }),
    async close() {
      closed = true;
      await started.catch(() => {});
      for (const timer of timers) clearInterval(timer);
      await listener.close();
      await cron.stop();
      // A batch still being sent rolls back and is sent again at the next start, as with pg_net.
      await sql.end({ timeout: 1 });
    },
  };
}
