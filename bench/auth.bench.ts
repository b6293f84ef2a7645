// Auth throughput against the cost of bcrypt measured in the same run: a password sign-in can go
// no faster than the machine's bcrypt compares (cost 10), so sign-in/s is reported as a share of
// that ceiling (target >= 0.9); refresh (no bcrypt) is reported per second (target >= 3k/s).
// The stack runs in its own process, as `basekit start` runs it; this process is the client.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { hash, verify } from "@node-rs/bcrypt";

const root = join(import.meta.dirname, "..");
const bin = join(root, "packages", "local-stack", "bin", "basekit.js");
const ports = { api: 57431, db: 57432, mail: 57434 };
const env = {
  ...process.env,
  BASEKIT_STATE_DIR: join(root, ".basekit", "bench-auth"),
  BASEKIT_API_PORT: String(ports.api),
  BASEKIT_DB_PORT: String(ports.db),
  BASEKIT_MAIL_PORT: String(ports.mail),
  BASEKIT_LOG_LEVEL: "warn",
};
const SECRET_KEY = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
const PUBLISHABLE_KEY = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(path: string, body: unknown, apiKey = PUBLISHABLE_KEY): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: ports.api,
        path: `/auth/v1${path}`,
        method: "POST",
        agent,
        headers: { apikey: apiKey, "content-type": "application/json", "content-length": Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || "{}") }));
      },
    );
    req.once("error", reject);
    req.end(payload);
  });
}

/** Runs `worker(i)` on `concurrency` loops for `seconds`; returns completed operations per second. */
async function throughput(seconds: number, concurrency: number, worker: (loop: number) => Promise<void>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < until) {
        await worker(loop);
        done++;
      }
    }),
  );
  return done / ((performance.now() - began) / 1000);
}

async function startStack(): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [bin, "start", "--reset", "--workdir", root], { env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("Started basekit") && resolve());
    child.once("exit", (code) => reject(new Error(`stack exited with ${code}`)));
  });
  return async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
}

export async function run(): Promise<void> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const stop = await startStack();
  try {
    const stored = await hash("Bench-password-1", { cost: 10, version: "2a" });
    const users: string[] = [];
    for (let i = 0; i < 16; i++) {
      const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
      const created = await post("/admin/users", { email, password: "Bench-password-1", email_confirm: true }, SECRET_KEY);
      if (created.status !== 200) throw new Error(`creating a bench user failed: ${JSON.stringify(created.body)}`);
      users.push(email);
    }
    let failures = 0;
    const signIn = async (loop: number) => {
      const result = await post("/token?grant_type=password", { email: users[loop % users.length], password: "Bench-password-1" });
      if (result.status !== 200) failures++;
    };
    await throughput(1, 8, signIn);
    // The ceiling (bcrypt cost-10 compares per second, as many in flight as the threads allow) and
    // sign-ins are measured in alternating rounds, so load from elsewhere on the machine weighs on
    // both alike.
    let bcryptPerSecond = 0;
    let signInPerSecond = 0;
    const rounds = 3;
    for (let round = 0; round < rounds; round++) {
      bcryptPerSecond +=
        (await throughput(2, Math.max(threads, availableParallelism()) * 2, () => verify("Bench-password-1", stored).then(() => {}))) /
        rounds;
      signInPerSecond += (await throughput(2, 16, signIn)) / rounds;
    }

    const tokens = await Promise.all(
      Array.from({ length: 32 }, async (_, i) =>
        String(
          (await post("/token?grant_type=password", { email: users[i % users.length], password: "Bench-password-1" })).body.refresh_token,
        ),
      ),
    );
    const refresh = async (loop: number) => {
      const result = await post("/token?grant_type=refresh_token", { refresh_token: tokens[loop] });
      if (result.status === 200) tokens[loop] = String(result.body.refresh_token);
      else failures++;
    };
    await throughput(1, tokens.length, refresh);
    const refreshPerSecond = await throughput(6, tokens.length, refresh);

    console.log(
      `bcrypt ceiling:   ${bcryptPerSecond.toFixed(1)} compares/s (cost 10, ${availableParallelism()} cores, ${threads} pool threads)`,
    );
    console.log(
      `sign-in:          ${signInPerSecond.toFixed(1)} /s = ${(signInPerSecond / bcryptPerSecond).toFixed(2)}x the bcrypt ceiling (target >= 0.9x)`,
    );
    console.log(
      `refresh:          ${refreshPerSecond.toFixed(0)} /s (target >= 3000/s) = ${(refreshPerSecond / bcryptPerSecond).toFixed(0)}x bcrypt compares`,
    );
    if (failures) console.log(`failed requests:  ${failures}`);
  } finally {
    agent.destroy();
    await stop();
    rmSync(env.BASEKIT_STATE_DIR, { recursive: true, force: true });
  }
}
