// `basekit status`: the URLs and keys, in the names `supabase status` uses.
import { join } from "node:path";
import { deriveApiKeys } from "../../keys/api-keys.ts";
import { readStackState } from "../../state/stack-state.ts";
import { configFrom, parse, UsageError } from "../args.ts";
import { answeringServices } from "../service-probe.ts";
import { formatStatus, statusValues } from "../status-values.ts";

export const statusHelp = `Usage: basekit status [--workdir DIR] [-o pretty|env|json]

Prints the local stack's URLs and keys, of the services that answer. With -o env the names are those of
\`supabase status -o env\` (API_URL, DB_URL, ANON_KEY, SERVICE_ROLE_KEY, JWT_SECRET, ...).
Exits 1 when the stack is not running or nothing of it answers.`;

export async function status(argv: string[]): Promise<number> {
  const { values } = parse(argv, { output: { type: "string", short: "o" } });
  if (values.help) return (console.log(statusHelp), 0);
  const format = (values.output ?? "pretty") as string;
  if (!["pretty", "env", "json"].includes(format)) throw new UsageError(`-o must be pretty, env or json (got "${format}")`);
  const config = configFrom(values);
  const state = readStackState(config.stateDir);
  if (!state) {
    console.error("basekit is not running. Start it with `basekit start`.");
    return 1;
  }
  const apiUrl = `http://${config.host}:${state.apiPort}`;
  const answering = await answeringServices(apiUrl, state.dbUrl);
  if (answering.size === 0) {
    console.error(
      `basekit (pid ${state.pid}) is running but neither its API (${apiUrl}) nor its database (port ${state.dbPort}) answers. Its log: ${join(config.stateDir, "stack.log")}`,
    );
    return 1;
  }
  console.log(formatStatus(statusValues(config, deriveApiKeys(config), state.dbUrl, answering), format as "pretty" | "env" | "json"));
  return 0;
}
