// Storage throughput: uploading and downloading 1 MB objects through /storage/v1 (HTTP, RLS
// scope, row writes, MD5, streaming to disk) as a share of writing and reading the same bytes to
// disk directly, measured in the same run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFixtureStack } from "../packages/local-stack/src/testing/fixture-stack.ts";

const OBJECTS = 40;
const SIZE = 1024 * 1024;

const mbPerSecond = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

export async function run(): Promise<void> {
  const stack = await startFixtureStack({
    files: { "config.toml": 'project_id = "bench-storage"\n[storage.buckets.bench]\npublic = false\n' },
  });
  const scratch = mkdtempSync(join(tmpdir(), "basekit-bench-storage-"));
  try {
    const payloads = Array.from({ length: OBJECTS }, () => randomBytes(SIZE));
    const total = OBJECTS * SIZE;
    const headers = { apikey: stack.keys.secretKey, "content-type": "application/octet-stream" };
    const objectUrl = (i: number) => `${stack.apiUrl}/storage/v1/object/bench/run/${i}.bin`;

    let started = performance.now();
    for (const [i, bytes] of payloads.entries()) writeFileSync(join(scratch, `${i}.bin`), bytes);
    const diskWrite = mbPerSecond(total, performance.now() - started);
    started = performance.now();
    for (let i = 0; i < OBJECTS; i++) readFileSync(join(scratch, `${i}.bin`));
    const diskRead = mbPerSecond(total, performance.now() - started);

    started = performance.now();
    for (const [i, bytes] of payloads.entries()) {
      const response = await fetch(objectUrl(i), { method: "POST", headers, body: bytes });
      if (!response.ok) throw new Error(`upload failed: ${await response.text()}`);
    }
    const upload = mbPerSecond(total, performance.now() - started);
    started = performance.now();
    for (let i = 0; i < OBJECTS; i++) {
      const response = await fetch(objectUrl(i), { headers: { apikey: stack.keys.secretKey } });
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length !== SIZE) throw new Error("short download");
    }
    const download = mbPerSecond(total, performance.now() - started);

    console.log(`1 MB objects x ${OBJECTS}, sequential`);
    console.log(`upload   ${upload.toFixed(0)} MB/s vs disk write ${diskWrite.toFixed(0)} MB/s: ratio ${(upload / diskWrite).toFixed(2)}`);
    console.log(
      `download ${download.toFixed(0)} MB/s vs disk read  ${diskRead.toFixed(0)} MB/s: ratio ${(download / diskRead).toFixed(2)}`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await stack.dispose();
  }
}
