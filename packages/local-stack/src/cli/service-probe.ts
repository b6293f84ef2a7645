// Which parts of a running stack answer right now, so `basekit status` lists only what a client
// can reach: the gateway's /health names the services it serves; the database answers on its port.
import { connect } from "node:net";

const PROBE_TIMEOUT_MS = 2000;

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

async function gatewayServices(apiUrl: string): Promise<string[]> {
  try {
    const response = await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return [];
    const health = (await response.json()) as { services?: Record<string, unknown> };
    return ["api", ...Object.keys(health.services ?? {})];
  } catch {
    return [];
  }
}

/** "api" and the gateway's service names when its /health answers, "db" when the database does. */
export async function answeringServices(apiUrl: string, dbUrl: string): Promise<Set<string>> {
  const db = new URL(dbUrl);
  const [services, dbAnswers] = await Promise.all([gatewayServices(apiUrl), tcpAnswers(db.hostname, Number(db.port || 5432))]);
  return new Set([...services, ...(dbAnswers ? ["db"] : [])]);
}
