// The stack under the denial-of-service attacks of the security review, run in its own process:
// how fast /health answers (probed from a third process) and how much memory the gateway holds,
// while idle (the baseline, same run) and during each attack. Attacks:
//   regex     subscribers with a catastrophic `match` filter, a stranger and a member, on rows
//             whose body makes a backtracking engine take seconds
//   multipart unauthenticated uploads of 300 x 1 MiB form fields and no file, 4 at a time
//   burst     10 broadcasts of 2 MiB to 20 subscribers that read (the baseline for "slow")
//   slow      the same broadcasts to 20 subscribers that stop reading
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import WebSocket from "ws";
import { FIXTURE_MIGRATION, userToken } from "../packages/local-stack/src/realtime/testing/realtime-fixture.ts";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
const PORT_BASE = 57420;
const MIB = 1024 * 1024;
const BROADCASTS = 10;

interface Stack {
  child: ChildProcess;
  /** Log lines the stack has written that contain `text`. */
  logged(text: string): number;
  apiUrl: string;
  anonKey: string;
  serviceKey: string;
  jwtSecret: string;
  dbUrl: string;
  dispose(): Promise<void>;
}

async function startStack(): Promise<Stack> {
  const workdir = mkdtempSync(join(tmpdir(), "basekit-bench-attacks-"));
  mkdirSync(join(workdir, "supabase", "migrations"), { recursive: true });
  writeFileSync(join(workdir, "supabase", "config.toml"), 'project_id = "bench-attacks"\n[storage.buckets.private]\npublic = false\n');
  writeFileSync(join(workdir, "supabase", "migrations", "20250101000000_fixture.sql"), FIXTURE_MIGRATION);
  const env = {
    ...process.env,
    BASEKIT_STATE_DIR: join(workdir, ".basekit"),
    BASEKIT_API_PORT: String(PORT_BASE + 1),
    BASEKIT_DB_PORT: String(PORT_BASE + 2),
    BASEKIT_MAIL_PORT: String(PORT_BASE + 4),
  };
  const child = spawn(process.execPath, [bin, "start", "--workdir", workdir], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("Started basekit") && resolve());
    for (const stream of [child.stdout, child.stderr]) stream?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`stack exited with ${code}`)));
  });
  const status = JSON.parse(
    spawnSync(process.execPath, [bin, "status", "-o", "json", "--workdir", workdir], { env, encoding: "utf8" }).stdout,
  ) as Record<string, string>;
  return {
    child,
    logged: (text) => log.split(text).length - 1,
    apiUrl: status.API_URL,
    anonKey: status.ANON_KEY,
    serviceKey: status.SERVICE_ROLE_KEY,
    jwtSecret: status.JWT_SECRET,
    dbUrl: status.DB_URL,
    async dispose() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
      rmSync(workdir, { recursive: true, force: true });
    },
  };
}

/** The gateway's resident memory in MB (the node process; Postgres is measured elsewhere). */
const gatewayRssMb = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;

/**
 * Probes /health every 20 ms from a separate process (so our own attack traffic cannot delay the
 * probe's clock) and samples the gateway's memory, until stopped.
 */
function startProbe(apiUrl: string, pid: number) {
  const script = `
    const { readFileSync } = require("node:fs");
    const latencies = []; let peak = 0; let stopped = false;
    process.stdin.on("end", () => { stopped = true; }); process.stdin.resume();
    (async () => {
      while (!stopped) {
        const began = performance.now();
        try { await (await fetch(${JSON.stringify(`${apiUrl}/health`)})).arrayBuffer(); latencies.push(performance.now() - began); }
        catch { latencies.push(Infinity); }
        const rss = Number(/^VmRSS:\\s+(\\d+)/m.exec(readFileSync("/proc/${pid}/status", "utf8"))?.[1] ?? 0) / 1024;
        peak = Math.max(peak, rss);
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify({ latencies, peak }));
    })();`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  return {
    async stop(): Promise<{ p50: number; p99: number; max: number; peakMb: number; probes: number }> {
      child.stdin.end();
      await new Promise((resolve) => child.once("exit", resolve));
      const { latencies, peak } = JSON.parse(output) as { latencies: number[]; peak: number };
      const sorted = latencies.map((l) => (l === null ? Infinity : l)).sort((a, b) => a - b);
      const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
      return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1], peakMb: peak, probes: sorted.length };
    },
  };
}

async function socket(stack: Stack): Promise<WebSocket> {
  const ws = new WebSocket(`${stack.apiUrl.replace("http", "ws")}/realtime/v1/websocket?apikey=${stack.anonKey}&vsn=1.0.0`);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  ws.on("error", () => {});
  return ws;
}

function joinChannel(ws: WebSocket, topic: string, payload: Record<string, unknown>, token: string): Promise<unknown> {
  const ref = String(Math.random());
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data));
      if (message.ref !== ref) return;
      ws.off("message", onMessage);
      resolve(message.payload);
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ topic, event: "phx_join", payload: { ...payload, access_token: token }, ref, join_ref: ref }));
  });
}

async function regexAttack(stack: Stack, db: postgres.Sql): Promise<string> {
  const member = crypto.randomUUID();
  await db`insert into public.rt_rooms (id, name) values (1, 'private') on conflict do nothing`;
  await db`insert into public.rt_members (room_id, user_id) values (1, ${member})`;
  const filter = "body=match.^(a|a)*$";
  const changes = { postgres_changes: [{ event: "INSERT", schema: "public", table: "rt_messages", filter }] };
  const stranger = await socket(stack);
  const insider = await socket(stack);
  const joined = [
    await joinChannel(stranger, "realtime:stranger", { config: changes }, stack.anonKey),
    await joinChannel(insider, "realtime:member", { config: changes }, userToken(stack.jwtSecret, member)),
  ];
  // 30 characters: seconds for a backtracking engine, about 2^30 steps.
  for (let i = 0; i < 10; i++) await db`insert into public.rt_messages (room_id, body) values (1, ${`${"a".repeat(30)}!`})`;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  stranger.close();
  insider.close();
  return `joins ${joined.map((payload) => (payload as { status?: string }).status).join("/")}, 10 evil rows`;
}

function multipartFlood(stack: Stack): Promise<string> {
  const send = () =>
    new Promise<number>((resolve) => {
      const boundary = "----basekit-bench";
      const req = request(`${stack.apiUrl}/storage/v1/object/private/flood.bin`, {
        method: "POST",
        headers: { apikey: stack.anonKey, "content-type": `multipart/form-data; boundary=${boundary}` },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", () => resolve(0));
      const field = Buffer.alloc(MIB, "x");
      let i = 0;
      const write = () => {
        while (i < 300) {
          const part = Buffer.concat([
            Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="f${i}"\r\n\r\n`),
            field,
            Buffer.from("\r\n"),
          ]);
          i++;
          if (!req.write(part)) return req.once("drain", write);
        }
        req.end(`--${boundary}--\r\n`);
      };
      write();
    });
  return Promise.all([send(), send(), send(), send()]).then((codes) => `4 x 300 MiB of fields, answers ${codes.join("/")}`);
}

/** 20 subscribers, reading (the baseline: the same broadcasts, nobody slow) or paused. */
async function broadcastBurst(stack: Stack, paused: boolean): Promise<string> {
  const readers: WebSocket[] = [];
  for (let i = 0; i < 20; i++) {
    const ws = await socket(stack);
    await joinChannel(ws, "realtime:flood", { config: { broadcast: { self: false }, private: false } }, stack.anonKey);
    if (paused) (ws as unknown as { _socket: { pause(): void } })._socket.pause(); // stops reading
    readers.push(ws);
  }
  const droppedBefore = stack.logged("client not reading");
  const sender = await socket(stack);
  await joinChannel(sender, "realtime:flood", { config: { broadcast: { self: false }, private: false } }, stack.anonKey);
  // Within the 3000 KB payload limit, so every broadcast is accepted and fanned out.
  const payload = { blob: "x".repeat(2 * MIB) };
  for (let i = 0; i < BROADCASTS; i++) {
    sender.send(
      JSON.stringify({
        topic: "realtime:flood",
        event: "broadcast",
        payload: { type: "broadcast", event: "big", payload },
        ref: String(i),
      }),
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));
  for (const ws of readers) ws.terminate();
  sender.close();
  return `20 ${paused ? "paused" : "reading"} subscribers, ${BROADCASTS} x 2 MiB broadcasts; ${stack.logged("client not reading") - droppedBefore} readers dropped by the server as slow`;
}

export async function run(): Promise<void> {
  const stack = await startStack();
  const db = postgres(stack.dbUrl, { max: 2, onnotice: () => {} });
  const pid = stack.child.pid ?? 0;
  try {
    const idle = startProbe(stack.apiUrl, pid);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const baseline = await idle.stop();
    const line = (label: string, figures: typeof baseline, note: string) =>
      console.log(
        `${label.padEnd(10)} /health p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, max ${figures.max.toFixed(1)} ms ` +
          `(x${(figures.max / baseline.max).toFixed(1)} idle max); gateway peak ${figures.peakMb.toFixed(0)} MB; ${note}`,
      );
    line("idle", baseline, `${baseline.probes} probes (baseline)`);
    for (const [label, attack] of [
      ["regex", () => regexAttack(stack, db)],
      ["multipart", () => multipartFlood(stack)],
      ["burst", () => broadcastBurst(stack, false)],
      ["slow", () => broadcastBurst(stack, true)],
    ] as const) {
      const probe = startProbe(stack.apiUrl, pid);
      const note = await attack();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const figures = await probe.stop();
      line(label, figures, `${note}; after: ${gatewayRssMb(pid).toFixed(0)} MB`);
    }
  } finally {
    await db.end();
    await stack.dispose();
  }
}
