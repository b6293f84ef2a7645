// Who is calling, as far as Auth can trust it: the socket's peer address, or - only when that peer
// is a configured trusted proxy - the nearest untrusted hop its X-Forwarded-For names, read from
// the right (entries a client wrote itself sit on the left and never count). Rate limits, MFA
// challenges, sessions and the audit log all key on this address.
import { BlockList, isIP } from "node:net";
import type { GatewayRequest } from "../gateway/types.ts";

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Longest User-Agent kept in auth.sessions; longer values are cut, not refused. */
export const USER_AGENT_LIMIT = 512;

/** Parses `BASEKIT_TRUSTED_PROXIES`-style entries (IPs and CIDRs); throws on anything else. */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= maxBits)))
      throw new Error(`BASEKIT_TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return list;
}

/** An address without the IPv4-mapped IPv6 prefix, or null when it is not an IP. */
export function plainIp(value: string | undefined | null): string | null {
  if (!value) return null;
  const bare = value.startsWith("::ffff:") && isIP(value.slice(7)) === 4 ? value.slice(7) : value;
  return isIP(bare) ? bare : null;
}

const isTrusted = (trusted: BlockList, ip: string) => trusted.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");

/** The client address of a request that reached us from `remoteAddress`. */
export function clientAddress(remoteAddress: string, forwardedFor: string | string[] | undefined, trusted: BlockList): string | null {
  let client = plainIp(remoteAddress);
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",").map((hop) => hop.trim());
  while (client && isTrusted(trusted, client) && hops.length > 0) {
    const next = plainIp(hops.pop());
    // A hop that is not an address ends the chain: the last trusted proxy is all we know.
    if (!next) break;
    client = next;
  }
  return client;
}

/** A header value fit to store: control characters dropped, at most `limit` characters. */
export function storableHeader(value: string | string[] | undefined, limit: number): string | null {
  if (typeof value !== "string") return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  const clean = Array.from(value.slice(0, limit * 4).replace(/[\u0000-\u001f\u007f-\u009f]/g, ""))
    .slice(0, limit)
    .join("");
  return clean || null;
}

export function clientInfo(request: Pick<GatewayRequest, "remoteAddress" | "headers">, trusted: BlockList): ClientInfo {
  return {
    ip: clientAddress(request.remoteAddress, request.headers["x-forwarded-for"], trusted),
    userAgent: storableHeader(request.headers["user-agent"], USER_AGENT_LIMIT),
  };
}
