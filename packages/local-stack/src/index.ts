// The package's programmatic API, for tools that start a stack in-process (test runners, scripts):
// the `basekit` command is built on the same calls.

export { type GenerateTypesOptions, generateTypes } from "./cli/commands/gen.ts";
export { ConfigError, type ConfigOverrides, loadConfig, type StackConfig } from "./config/load-config.ts";
export { type ApiKeys, deriveApiKeys } from "./keys/api-keys.ts";
export { createLogger, type Logger, silentLogger } from "./log/logger.ts";
export { AlreadyRunningError, type RunningStack, type StartOptions, startStack } from "./stack.ts";
