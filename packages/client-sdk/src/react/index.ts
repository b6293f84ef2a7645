// @basekit/client-sdk/react: TanStack Query bindings (queryOptions factories, hooks, live cache updates).
export * from "./account-hooks.ts";
export * from "./account-queries.ts";
export * from "./chat-hooks.ts";
export * from "./chat-queries.ts";
export { removeMessage, upsertMessage } from "./message-cache.ts";
export * from "./notification-hooks.ts";
export * from "./notification-queries.ts";
export { BasekitProvider, useBasekit } from "./provider.ts";
export { basekitKeys } from "./query-keys.ts";
export { type SessionState, useSession } from "./use-session.ts";
