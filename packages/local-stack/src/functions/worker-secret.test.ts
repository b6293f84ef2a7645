// A Deno worker listens on loopback, where any local process can reach it: only the gateway,
// which knows the worker's secret, gets a function to run, so `verify_jwt` cannot be skipped.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { after, before, test } from "node:test";
import { type FixtureStack, startFixtureStack } from "../testing/fixture-stack.ts";
import { FIXTURE_FUNCTIONS, fixtureConfig } from "./test-fixture/functions.ts";

let stack: FixtureStack;
before(async () => {
  stack = await startFixtureStack({ files: { "config.toml": fixtureConfig("per_worker"), ...FIXTURE_FUNCTIONS } });
});
after(async () => {
  await stack?.dispose();
});

/** TCP ports a process listens on, from /proc (the socket inodes among its file descriptors). */
function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    const target = (() => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return "";
      }
    })();
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const ports: number[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && inodes.has(fields[9])) ports.push(Number.parseInt(fields[1].split(":")[1], 16));
    }
  }
  return ports;
}

const invoke = async () => {
  const response = await fetch(`${stack.apiUrl}/functions/v1/whoami`, {
    headers: { apikey: stack.keys.anonKey, authorization: `Bearer ${stack.keys.anonKey}` },
  });
  assert.equal(response.status, 200);
  return (await response.json()) as { pid: number; calls: number; headers: Record<string, string> };
};

test("a request straight to a worker's port, without the gateway, is refused and never runs the function", async () => {
  const first = await invoke();
  const ports = listeningPorts(first.pid);
  assert.equal(ports.length, 1, `the worker listens on one port (found ${ports.join(", ")})`);
  const attempts: Record<string, string>[] = [{}, { "x-basekit-worker-secret": "guess" }, { "x-basekit-worker-secret": "" }];
  for (const headers of attempts) {
    const direct = await fetch(`http://127.0.0.1:${ports[0]}/whoami`, { headers });
    assert.equal(direct.status, 403);
    await direct.body?.cancel();
  }
  const second = await invoke();
  assert.equal(second.pid, first.pid, "the same warm worker answered");
  assert.equal(second.calls, first.calls + 1, "the refused direct requests never reached the function");
});

test("the function never sees the worker's secret", async () => {
  const { headers } = await invoke();
  assert.equal(headers["x-basekit-worker-secret"], undefined);
  assert.equal(headers.apikey, stack.keys.anonKey);
});
