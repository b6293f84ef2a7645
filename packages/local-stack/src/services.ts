// The services the gateway serves, in one list so that adding one is a one-line change.

import { createAuthService } from "./auth/auth-service.ts";
import type { StackConfig } from "./config/load-config.ts";
import type { Database } from "./db/database.ts";
import { createExtensionsService } from "./extensions/extensions-service.ts";
import { createFunctionsService } from "./functions/service.ts";
import type { Service } from "./gateway/types.ts";
import { createGraphqlPlaceholderService } from "./graphql/graphql-placeholder.ts";
import type { ApiKeys } from "./keys/api-keys.ts";
import type { Logger } from "./log/logger.ts";
import { createMailService } from "./mail/mail-service.ts";
import { createPushService } from "./push/push-service.ts";
import { createRealtimeService } from "./realtime/realtime-service.ts";
import { createRestService } from "./rest/service.ts";
import { createStorageService } from "./storage/service.ts";

export interface StackContext {
  config: StackConfig;
  keys: ApiKeys;
  db: Database;
  logger: Logger;
  /** Base URL of the local mail inbox (Resend-compatible API), or of real Resend in production. */
  mailApiUrl: string;
}

export type ServiceFactory = (context: StackContext) => Promise<Service | undefined> | Service | undefined;

export const serviceFactories: ServiceFactory[] = [
  createMailService,
  createAuthService,
  createRestService,
  createStorageService,
  (context) => createRealtimeService(context),
  createFunctionsService,
  createExtensionsService,
  createPushService,
  createGraphqlPlaceholderService,
];
