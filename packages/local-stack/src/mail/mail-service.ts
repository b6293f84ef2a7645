// The stack's mail inbox as a Service: no gateway prefix, it listens on `[inbucket] port`
// (54324, Supabase's mail catcher port) and stops with the stack.
import type { Service } from "../gateway/types.ts";
import type { StackContext } from "../services.ts";
import { createInboxServer } from "./inbox-server.ts";
import { MessageStore } from "./message-store.ts";

export async function createMailService(context: StackContext): Promise<Service | undefined> {
  const { config, logger } = context;
  if (!config.mail.enabled) return undefined;
  const store = new MessageStore();
  const server = createInboxServer(store, {
    siteUrl: config.auth.siteUrl,
    pushUrl: `http://${config.host}:${config.api.port}/push/v1`,
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.mail.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  logger.child({ service: "mail" }).info("mail inbox listening", { url: `http://${config.host}:${config.mail.port}` });
  return {
    name: "mail",
    health: () => ({ status: "ok", messages: store.list().length }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
