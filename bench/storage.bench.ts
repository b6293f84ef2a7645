// Storage throughput: uploading and downloading 1 MB objects through /storage/v1 (HTTP, JWT, RLS
// scope, row writes, MD5, streaming to disk) against a bare node:http server that only streams the
// same bodies to and from disk, measured in the same run with the same client, one at a time and
// several in flight. The difference per object is what Storage itself costs.
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { startFixtureStack } from "../packages/local-stack/src/testing/fixture-stack.ts";

const OBJECTS = 40;
const SIZE = 1024 * 1024;
const IN_FLIGHT = 8;
/** Each figure is the best of this many runs: the machine's noise only ever slows a run down. */
const ROUNDS = 3;

interface Target {
  /** Stores a new object named `name` (a word: letters, digits, `_`). */
  upload(name: string, bytes: Buffer<ArrayBuffer>): Promise<void>;
  download(name: string): Promise<void>;
}

/** The baseline: a server that writes each body to `<dir>/<i>.bin` and streams it back. */
function bareServer(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const file = join(dir, `${(req.url ?? "/").slice(1).replace(/\W/g, "")}.bin`);
    const done = (status: number) => res.writeHead(status).end();
    if (req.method === "POST")
      pipeline(req, createWriteStream(file)).then(
        () => done(200),
        () => done(500),
      );
    else {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(SIZE) });
      pipeline(createReadStream(file), res).catch(() => res.destroy());
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
    }),
  );
}

async function expectOk(response: Response): Promise<Buffer> {
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`request failed (${response.status}): ${body.toString("utf8")}`);
  return body;
}

function httpTarget(objectUrl: (name: string) => string, headers: Record<string, string>): Target {
  return {
    async upload(name, bytes) {
      const init = { method: "POST", headers: { ...headers, "content-type": "application/octet-stream" }, body: bytes };
      await expectOk(await fetch(objectUrl(name), init));
    },
    async download(name) {
      const body = await expectOk(await fetch(objectUrl(name), { headers }));
      if (body.length !== SIZE) throw new Error("short download");
    },
  };
}

/** Milliseconds to run `task` for every index, `inFlight` at a time. */
async function timed(inFlight: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < OBJECTS) await task(next++);
    }),
  );
  return performance.now() - started;
}

const mbPerSecond = (ms: number) => (OBJECTS * SIZE) / 1e6 / (ms / 1000);

function report(label: string, storageMs: number, bareMs: number): void {
  const storage = mbPerSecond(storageMs);
  const bare = mbPerSecond(bareMs);
  const overhead = (storageMs - bareMs) / OBJECTS;
  console.log(
    `${label.padEnd(22)} ${storage.toFixed(0).padStart(5)} MB/s vs bare ${bare.toFixed(0).padStart(5)} MB/s: ratio ${(storage / bare).toFixed(2)}, +${overhead.toFixed(2)} ms/object`,
  );
}

export async function run(): Promise<void> {
  const stack = await startFixtureStack({
    files: { "config.toml": 'project_id = "bench-storage"\n[storage.buckets.bench]\npublic = false\n' },
  });
  const scratch = mkdtempSync(join(tmpdir(), "basekit-bench-storage-"));
  const bare = await bareServer(scratch);
  try {
    const payloads = Array.from({ length: OBJECTS }, () => randomBytes(SIZE));
    const storage = httpTarget((name) => `${stack.apiUrl}/storage/v1/object/bench/${name}.bin`, { apikey: stack.keys.secretKey });
    const baseline = httpTarget((name) => `${bare.url}/${name}`, {});
    // Warm both servers (connections, pools, JIT) on an object of their own.
    for (const target of [storage, baseline]) {
      await target.upload("warm", payloads[0]);
      await target.download("warm");
    }

    console.log(`1 MB objects x ${OBJECTS}, best of ${ROUNDS} rounds`);
    let round = 0;
    for (const inFlight of [1, IN_FLIGHT]) {
      const best = { storageUp: Infinity, bareUp: Infinity, storageDown: Infinity, bareDown: Infinity };
      for (let r = 0; r < ROUNDS; r++) {
        const set = `r${round++}`;
        const upload = (target: Target) => timed(inFlight, (i) => target.upload(`${set}_${i}`, payloads[i]));
        const download = (target: Target) => timed(inFlight, (i) => target.download(`${set}_${i}`));
        best.storageUp = Math.min(best.storageUp, await upload(storage));
        best.bareUp = Math.min(best.bareUp, await upload(baseline));
        best.storageDown = Math.min(best.storageDown, await download(storage));
        best.bareDown = Math.min(best.bareDown, await download(baseline));
      }
      const mode = inFlight === 1 ? "sequential" : `${inFlight} in flight`;
      report(`upload ${mode}`, best.storageUp, best.bareUp);
      report(`download ${mode}`, best.storageDown, best.bareDown);
    }
  } finally {
    await new Promise((resolve) => bare.server.close(resolve));
    rmSync(scratch, { recursive: true, force: true });
    await stack.dispose();
  }
}
