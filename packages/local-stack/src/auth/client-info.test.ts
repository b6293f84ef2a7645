import assert from "node:assert/strict";
import { test } from "node:test";
import { clientAddress, clientInfo, plainIp, storableHeader, trustedProxyList, USER_AGENT_LIMIT } from "./client-info.ts";

const none = trustedProxyList([]);
const loopback = trustedProxyList(["127.0.0.1", "::1"]);

test("with no trusted proxy, X-Forwarded-For is ignored: the client is the socket's peer", () => {
  assert.equal(clientAddress("127.0.0.1", "203.0.113.9", none), "127.0.0.1");
  assert.equal(clientAddress("::ffff:192.0.2.4", "203.0.113.9, 198.51.100.1", none), "192.0.2.4");
  assert.equal(clientAddress("2001:db8::7", undefined, none), "2001:db8::7");
});

test("behind a trusted proxy the client is the nearest untrusted hop, read from the right", () => {
  // The client wrote "6.6.6.6"; the proxy appended the address it really saw.
  assert.equal(clientAddress("127.0.0.1", "6.6.6.6, 198.51.100.7", loopback), "198.51.100.7");
  assert.equal(clientAddress("127.0.0.1", ["6.6.6.6", "198.51.100.7, 127.0.0.1"], loopback), "198.51.100.7");
  // A proxy that forwards no client leaves itself as the client.
  assert.equal(clientAddress("127.0.0.1", undefined, loopback), "127.0.0.1");
  // Garbage ends the chain at the last trusted hop rather than naming a made-up client.
  assert.equal(clientAddress("127.0.0.1", "198.51.100.7, not-an-ip", loopback), "127.0.0.1");
  assert.equal(clientAddress("127.0.0.1", "'; drop table auth.users; --", loopback), "127.0.0.1");
  // An untrusted peer cannot borrow a trusted proxy's voice.
  assert.equal(clientAddress("192.0.2.1", "198.51.100.7", loopback), "192.0.2.1");
});

test("trusted proxies are IPs or CIDR ranges; anything else is refused at start", () => {
  const ranges = trustedProxyList(["10.0.0.0/8", "fd00::/8"]);
  assert.equal(clientAddress("10.1.2.3", "198.51.100.7", ranges), "198.51.100.7");
  assert.equal(clientAddress("fd00::1", "198.51.100.7", ranges), "198.51.100.7");
  for (const bad of ["localhost", "10.0.0.0/33", "10.0.0.0/8/1", "1.2.3.4/x", ""])
    assert.throws(() => trustedProxyList([bad]), /BASEKIT_TRUSTED_PROXIES/, bad);
});

test("stored header values lose control characters and are bounded", () => {
  assert.equal(storableHeader("Mozilla/5.0\u0000\u001b[31m\u0085x", 100), "Mozilla/5.0[31mx");
  assert.equal(storableHeader("a".repeat(10_000), USER_AGENT_LIMIT)?.length, USER_AGENT_LIMIT);
  assert.equal(storableHeader("\u0001\u0002", 100), null);
  assert.equal(storableHeader(["a", "b"], 100), null);
  const info = clientInfo({ remoteAddress: "::ffff:127.0.0.1", headers: { "user-agent": "x".repeat(2_000) } }, none);
  assert.deepEqual(info, { ip: "127.0.0.1", userAgent: "x".repeat(USER_AGENT_LIMIT) });
  assert.equal(plainIp("not an ip"), null);
});
