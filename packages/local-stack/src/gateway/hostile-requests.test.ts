// Requests no client library would send, straight to the gateway: each gets a 4xx, never a 500,
// and changes nothing.
import assert from "node:assert/strict";
import { once } from "node:events";
import { connect } from "node:net";
import { test } from "node:test";
import WebSocket from "ws";
import { adminClient, confirmedUser, stackFromEnvironment } from "../auth/auth-test-kit.ts";

const stack = stackFromEnvironment();
const apiUrl = new URL(stack.apiUrl);

/** Sends raw bytes and returns the status line's code. */
function rawStatus(request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(apiUrl.port), apiUrl.hostname, () => socket.write(request));
    let head = "";
    socket.on("data", (chunk) => {
      head += chunk.toString("latin1");
      const match = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (match) {
        resolve(Number(match[1]));
        socket.destroy();
      }
    });
    socket.once("error", reject);
    socket.once("end", () => reject(new Error(`no status line in ${JSON.stringify(head)}`)));
  });
}

test("an unparsable Host header or request target is 400, and the gateway keeps serving", async () => {
  assert.equal(await rawStatus(`GET /rest/v1/ HTTP/1.1\r\nHost: [\r\napikey: ${stack.anonKey}\r\nConnection: close\r\n\r\n`), 400);
  assert.equal(await rawStatus(`GET //evil.example/rest/v1/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`), 400);
  assert.equal(await rawStatus("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"), 200);
});

test("a deeply nested JSON body is 400 bad_json and stores nothing", async () => {
  const { session, user } = await confirmedUser(stack, { mood: "calm" });
  const depth = 100_000;
  const body = `{"data":{"deep":${"[".repeat(depth)}${"]".repeat(depth)}}}`;
  const response = await fetch(`${stack.apiUrl}/auth/v1/user`, {
    method: "PUT",
    headers: { apikey: stack.anonKey, authorization: `Bearer ${session.access_token}`, "content-type": "application/json" },
    body,
  });
  assert.equal(response.status, 400);
  assert.equal(((await response.json()) as { error_code: string }).error_code, "bad_json");
  const { data } = await adminClient(stack).auth.admin.getUserById(user.id);
  assert.deepEqual(data.user?.user_metadata, { mood: "calm" });
});

test("a deeply nested Realtime frame closes only that socket; a nested REST broadcast body is 400", async () => {
  const deep = `${"[".repeat(100_000)}${"]".repeat(100_000)}`;
  const ws = new WebSocket(`${stack.apiUrl.replace("http", "ws")}/realtime/v1/websocket?apikey=${stack.anonKey}&vsn=1.0.0`);
  await new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)));
  const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
  ws.send(`{"topic":"realtime:deep","event":"broadcast","ref":"1","payload":{"type":"broadcast","event":"x","payload":${deep}}}`);
  assert.equal(await closed, 1011);

  const response = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
    method: "POST",
    headers: { apikey: stack.anonKey, "content-type": "application/json" },
    body: `{"messages":[{"topic":"deep","event":"x","payload":${deep}}]}`,
  });
  assert.equal(response.status, 400);
  assert.equal((await fetch(`${stack.apiUrl}/health`)).status, 200);
});

test("a request refused before its body is read is answered while the body is still being sent, then cut off", async () => {
  const socket = connect(Number(apiUrl.port), apiUrl.hostname);
  await new Promise((resolve) => socket.once("connect", resolve));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  let answer = "";
  const answered = new Promise<void>((resolve) =>
    socket.on("data", (chunk) => {
      answer += chunk.toString("latin1");
      resolve();
    }),
  );
  socket.on("error", () => {});
  socket.write(
    "POST /storage/v1/object/no-such-bucket/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
      `apikey: ${stack.anonKey}\r\ncontent-type: application/octet-stream\r\ncontent-length: ${512 * 1024 * 1024}\r\n\r\n`,
  );
  // Keep sending after the answer, as a client streaming its upload does: no reset, the answer arrives.
  const limit = 64 * 1024 * 1024;
  let sent = 0;
  while (answer === "" && sent < limit) {
    sent += 64 * 1024;
    if (!socket.write(Buffer.alloc(64 * 1024))) await Promise.race([answered, once(socket, "drain")]);
  }
  await answered;
  assert.match(answer, /^HTTP\/1\.1 4\d\d /);
  assert.ok(sent < limit, `answered only after ${sent} bytes of the body`);
  // The server then stops waiting for the 512 MiB it will never use.
  await closed;
});
