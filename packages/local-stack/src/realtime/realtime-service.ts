// The Realtime service (/realtime/v1): WebSocket upgrades at /websocket speaking Phoenix channels
// as realtime-js does, the broadcast REST API under /api, postgres_changes from a logical slot,
// and fan-out through Postgres so several instances can serve one database.
import type { IncomingMessage, Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import { connect } from "../db/connect.ts";
import { type GatewayRequest, json, type Service } from "../gateway/types.ts";
import { createJwtVerifier } from "../keys/verify-jwt.ts";
import type { StackContext } from "../services.ts";
import { socketToken, TokenError, verifyRealtimeToken } from "./access-token.ts";
import { deliverBroadcast, fromRelay } from "./broadcast.ts";
import { ChangeDispatcher } from "./change-dispatch.ts";
import { TypeNames } from "./change-payload.ts";
import { ChangeStream } from "./change-stream.ts";
import { ChannelRegistry } from "./channel-registry.ts";
import { untilCommitVisible } from "./commit-visibility.ts";
import { Fanout, type RelayMessage } from "./fanout.ts";
import { PatternMatcher } from "./pattern-filters.ts";
import { parseVsn } from "./phoenix-serializer.ts";
import { ChangeCapture } from "./postgres-changes-capture.ts";
import { PresenceTracker } from "./presence.ts";
import { handleRestBroadcast } from "./rest-broadcast.ts";
import { ResumeGate } from "./resume-gate.ts";
import { RlsChecker } from "./rls-check.ts";
import type { RealtimeRuntime } from "./runtime.ts";
import { SocketSession } from "./socket-session.ts";

export interface RealtimeOptions {
  /** Names this instance's replication slot and bookkeeping; stable across restarts. */
  instance?: string;
  /** How long a restarted instance waits for its previous subscribers before streaming changes. */
  resumeGraceMs?: number;
}

const MAX_FRAME_BYTES = 5_000_000;
/** Longest a filter pattern may take Postgres for one change before its binding is stopped. */
const PATTERN_TIMEOUT_MS = 1000;

export const slotName = (instance: string) => `basekit_realtime_${instance.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`.slice(0, 63);

function reject(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  const reason = status === 401 ? "Unauthorized" : status === 404 ? "Not Found" : "Bad Request";
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export async function createRealtimeService(context: StackContext, options: RealtimeOptions = {}): Promise<Service> {
  const instance = options.instance ?? process.env.BASEKIT_REALTIME_INSTANCE ?? "main";
  const logger = context.logger.child({ service: "realtime", instance });
  const adminUrl = context.db.external ? context.db.adminUrl : context.db.url("supabase_admin");
  const sql = connect(adminUrl, { max: 10, connection: { application_name: "basekit realtime" } });
  // Filter patterns run here: the timeout is what bounds a pattern Postgres finds hard.
  const patternSql = connect(adminUrl, {
    max: 2,
    connection: { application_name: "basekit realtime filters", statement_timeout: PATTERN_TIMEOUT_MS } as never,
  });
  const patterns = new PatternMatcher(patternSql);
  const registry = new ChannelRegistry();
  const fanout: Fanout = new Fanout(
    sql,
    logger,
    (message: RelayMessage) => {
      if (message.kind === "broadcast") deliverBroadcast(registry, fromRelay(message));
      else presence.deliverDiff(message.route, message.joins, message.leaves);
    },
    () => connect(adminUrl, { max: 1, idle_timeout: 0, connection: { application_name: "basekit realtime fanout" } }),
  );
  const presence = new PresenceTracker(sql, instance, registry, fanout);
  const resume = new ResumeGate(sql, instance);
  let published: { at: number; tables: Promise<{ schema: string; table: string; columns: string[] }[]> } | undefined;
  const runtime: RealtimeRuntime = {
    sql,
    keys: context.keys,
    verifier: createJwtVerifier(context.keys.jwtSecret, context.keys.signingKeys?.publicJwks),
    registry,
    presence,
    fanout,
    resume,
    logger,
    patterns,
    publishedTables() {
      if (!published || Date.now() - published.at > 1000) {
        const tables = sql<{ schema: string; table: string; columns: string[] }[]>`
          select schemaname as schema, tablename as table, attnames as columns
          from pg_catalog.pg_publication_tables where pubname = 'supabase_realtime'`.then((rows) => [...rows]);
        published = { at: Date.now(), tables };
      }
      return published.tables;
    },
  };
  const rls = new RlsChecker(sql);
  const typeNames = new TypeNames(sql);
  const dispatcher = new ChangeDispatcher(registry, rls, typeNames, patterns, logger);
  const slot = slotName(instance);
  let closing = false;
  const capture = new ChangeCapture({
    url: adminUrl,
    slot,
    logger,
    onTransaction: async (transaction, relations) => {
      await untilCommitVisible(sql, transaction.xid, () => closing);
      await dispatcher.dispatchTransaction(transaction, relations);
    },
    onRelation: (relation) => rls.invalidate(relation.oid),
  });

  await fanout.start();
  await presence.clearStale();
  await maintainMessagePartitions();
  const partitions = setInterval(() => maintainMessagePartitions().catch(() => {}), 3_600_000);
  partitions.unref();
  await sql`
    do $$ begin
      if to_regclass('realtime.messages') is not null
         and not exists (select from pg_catalog.pg_publication where pubname = 'supabase_realtime_messages_publication') then
        create publication supabase_realtime_messages_publication for table realtime.messages
          with (publish = 'insert', publish_via_partition_root = true);
      end if;
    end $$`;
  const awaiting = await resume.load(options.resumeGraceMs ?? 15_000);
  if (awaiting > 0) logger.info("waiting for previous subscribers before streaming changes", { subscriptions: awaiting });
  const changes = new ChangeStream({
    sql,
    capture,
    slot,
    logger,
    opened: resume.opened,
    async onReconnect(recreated) {
      if (recreated) {
        // `basekit db reset` on a running stack: nothing learned about the old database holds, and
        // what Realtime keeps in it for the clients still connected is written again.
        logger.info("database was recreated; restoring realtime state", { channels: registry.size });
        rls.forgetAll();
        typeNames.forgetAll();
        published = undefined;
        await resume.restore();
        await presence.restore();
      }
      await fanout.relisten();
    },
  });

  async function maintainMessagePartitions(): Promise<void> {
    await sql`select _basekit.maintain_realtime_message_partitions() where to_regprocedure('_basekit.maintain_realtime_message_partitions()') is not null`;
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const sessions = new Set<SocketSession>();

  // An HTTP server's close() waits for every socket, upgraded WebSockets included, and the stack
  // closes its gateway before its services. So when the gateway stops listening, end the sockets.
  const watched = new Set<Server>();
  function watchServer(request: IncomingMessage): void {
    const server = (request.socket as Socket & { server?: Server }).server;
    if (!server || watched.has(server)) return;
    watched.add(server);
    const timer = setInterval(() => {
      if (server.listening) return;
      clearInterval(timer);
      for (const session of sessions) session.terminate();
    }, 100);
    timer.unref();
  }

  async function upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/^\/realtime\/v1/, "");
    if (path !== "/websocket" && path !== "/websocket/") return reject(socket, 404, "Not found");
    const vsn = parseVsn(url.searchParams.get("vsn"));
    if (!vsn) return reject(socket, 400, "Unsupported serializer version");
    const header = request.headers["x-api-key"] ?? request.headers.apikey;
    const apiKey = (typeof header === "string" ? header : undefined) ?? url.searchParams.get("apikey") ?? undefined;
    const token = socketToken(apiKey, context.keys);
    if (!token) return reject(socket, 401, "API key is missing");
    try {
      await verifyRealtimeToken(runtime.verifier, token);
    } catch (error) {
      if (error instanceof TokenError) return reject(socket, 401, error.detail);
      throw error;
    }
    watchServer(request);
    wss.handleUpgrade(request, socket, head, (ws) => {
      const session = new SocketSession(runtime, ws, vsn, token);
      sessions.add(session);
      ws.once("close", () => sessions.delete(session));
    });
  }

  return {
    name: "realtime",
    prefix: "/realtime/v1",
    upgrade(request, socket, head) {
      upgrade(request, socket, head).catch((error: Error) => {
        logger.error("realtime upgrade failed", { error: error.message });
        socket.destroy();
      });
    },
    async handle(request: GatewayRequest) {
      if (request.path.startsWith("/api/broadcast")) return handleRestBroadcast(runtime, request);
      return json(404, { message: "Not found" });
    },
    health: () => ({ status: "ok", instance, slot, sockets: sessions.size, channels: registry.size, replication: capture.position }),
    async close() {
      closing = true;
      clearInterval(partitions);
      for (const session of sessions) session.terminate();
      wss.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await changes.stop();
      await fanout.close();
      await patternSql.end({ timeout: 2 });
      await sql.end({ timeout: 2 });
    },
  };
}
