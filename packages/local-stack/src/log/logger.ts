// Structured JSON logs, one object per line, so the stack's output can be read by machines
// (`jq`, log shippers) as easily as by people.

export type LogLevel = "debug" | "info" | "warn" | "error";
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  fields: Record<string, unknown> = {},
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  minLevel: LogLevel = (process.env.BASEKIT_LOG_LEVEL as LogLevel) || "info",
): Logger {
  const log = (level: LogLevel) => (msg: string, extra?: Record<string, unknown>) => {
    if (order[level] < (order[minLevel] ?? 20)) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, ...fields, msg, ...extra }));
  };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (more) => createLogger({ ...fields, ...more }, write, minLevel),
  };
}

/** A logger that drops everything, for commands whose output is the answer (status -o json). */
export const silentLogger: Logger = createLogger({}, () => {}, "error");
