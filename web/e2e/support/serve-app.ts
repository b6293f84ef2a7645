// Builds the web app against the test stack and serves it with `vite preview` on a free port.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const webRoot = fileURLToPath(new URL("../..", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

export async function serveApp(supabaseUrl: string, anonKey: string): Promise<ServedApp> {
  const outDir = mkdtempSync(join(tmpdir(), "basekit-web-"));
  // Vite reads VITE_* from the environment at build time.
  process.env.VITE_SUPABASE_URL = supabaseUrl;
  process.env.VITE_SUPABASE_ANON_KEY = anonKey;
  await build({ root: webRoot, logLevel: "error", build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server = await preview({
    root: webRoot,
    logLevel: "error",
    build: { outDir },
    preview: { host: "127.0.0.1", port, strictPort: true },
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
