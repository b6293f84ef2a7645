// The demo (`npm start`) runs the notification processor the way a hosted project does: pg_cron and
// the enqueue kick call it through pg_net with the URL and key they read from Vault, which
// config.toml's [db.vault] fills from these variables. The test stack leaves them unset so that
// tests decide when the processor runs.
import type { StackConfig } from "../packages/local-stack/src/config/load-config.ts";
import { deriveApiKeys } from "../packages/local-stack/src/keys/api-keys.ts";

export interface NotificationProcessorEnv {
  NOTIFICATIONS_PROCESSOR_URL: string;
  NOTIFICATIONS_PROCESSOR_KEY: string;
}

/** The local processor's URL and the stack's service role key; values already set win. */
export function notificationProcessorEnv(config: StackConfig, env: NodeJS.ProcessEnv = process.env): NotificationProcessorEnv {
  return {
    NOTIFICATIONS_PROCESSOR_URL:
      env.NOTIFICATIONS_PROCESSOR_URL || `http://${config.host}:${config.api.port}/functions/v1/notification-processor`,
    NOTIFICATIONS_PROCESSOR_KEY: env.NOTIFICATIONS_PROCESSOR_KEY || deriveApiKeys(config).serviceRoleKey,
  };
}
