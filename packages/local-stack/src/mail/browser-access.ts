// Who may read the inbox from a browser. The inbox holds magic links and reset mails, so a page
// on any other site must not read it: cross-origin reads are allowed only for loopback origins
// (the developer's own apps) and the configured site URL, and a Host that is neither an IP
// literal nor a loopback name is refused, so DNS rebinding cannot make a foreign page same-origin.
import { isIP } from "node:net";

const isLoopbackName = (hostname: string) => hostname === "localhost" || hostname.endsWith(".localhost");

function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (isLoopbackName(bare)) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1";
}

export interface BrowserAccess {
  /** The Origin header may read responses (and send non-simple requests). */
  allowsOrigin(origin: string): boolean;
  /** The Host header names this server, not a name an attacker controls. */
  allowsHost(host: string | undefined): boolean;
}

export function browserAccess(siteUrl: string): BrowserAccess {
  let siteOrigin: string | undefined;
  let siteHost: string | undefined;
  try {
    const parsed = new URL(siteUrl);
    siteOrigin = parsed.origin;
    siteHost = parsed.hostname;
  } catch {
    // An unparsable site_url grants nothing; loopback origins still work.
  }
  return {
    allowsOrigin(origin) {
      if (origin === siteOrigin) return true;
      try {
        const parsed = new URL(origin);
        return (parsed.protocol === "http:" || parsed.protocol === "https:") && isLoopbackHostname(parsed.hostname);
      } catch {
        return false;
      }
    },
    allowsHost(host) {
      if (host === undefined) return true; // HTTP/1.0 clients; browsers always send Host
      let hostname: string;
      try {
        hostname = new URL(`http://${host}`).hostname;
      } catch {
        return false;
      }
      const bare = hostname.replace(/^\[|\]$/g, "");
      return isIP(bare) !== 0 || isLoopbackName(bare) || bare === siteHost;
    },
  };
}
