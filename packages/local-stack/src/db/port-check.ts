// Fails early, with the port's name, when something else already listens where we want to.
import { createServer } from "node:net";

export function assertPortFree(port: number, host: string, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use on ${host}. Stop what uses it, or change the port in supabase/config.toml.`
            : `Cannot listen on ${host}:${port} (${what}): ${error.message}`,
        ),
      );
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
