// Fails early, with the port's name, when something else already listens where we want to.
import { createServer } from "node:net";

/** The supabase/config.toml key (and environment variable) that sets each port. */
const CONFIG_KEYS: Record<string, string> = {
  API: "[api] port (or BASEKIT_API_PORT)",
  database: "[db] port (or BASEKIT_DB_PORT)",
  mail: "[inbucket] port (or BASEKIT_MAIL_PORT)",
};

export function assertPortFree(port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use on ${host}. Stop what uses it (another project's stack: \`basekit stop --workdir <its folder>\`), or change ${CONFIG_KEYS[what] ?? "the port"} in supabase/config.toml.`
            : `Cannot listen on ${host}:${port} (${what}): ${error.message}`,
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
