import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { assertPortFree } from "./port-check.ts";

test("a port in use is refused with its number, its name and the config.toml key (and variable) that moves it", async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  try {
    await assert.rejects(
      assertPortFree(port, "127.0.0.1", "API"),
      (error: Error) =>
        error.message.includes(`Port ${port} (API) is already in use on 127.0.0.1`) &&
        error.message.includes("[api] port (or BASEKIT_API_PORT) in supabase/config.toml") &&
        error.message.includes("basekit stop"),
    );
  } finally {
    server.close();
  }
});
