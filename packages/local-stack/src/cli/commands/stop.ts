// `basekit stop`: ends a stack started with --detach (or in another terminal).
import { isProcessAlive, readStackState } from "../../state/stack-state.ts";
import { configFrom, parse } from "../args.ts";

export const stopHelp = `Usage: basekit stop [--workdir DIR]

Stops the basekit stack running for the project in DIR. Data is kept; \`basekit db reset\` clears it.`;

export async function stop(argv: string[]): Promise<number> {
  const { values } = parse(argv, {});
  if (values.help) return (console.log(stopHelp), 0);
  const config = configFrom(values);
  const state = readStackState(config.stateDir);
  if (!state) {
    console.log("basekit is not running.");
    return 0;
  }
  process.kill(state.pid, "SIGTERM");
  process.stdout.write(`Stopping basekit (pid ${state.pid})...\n`);
  for (let waited = 0; waited < 30_000; waited += 100) {
    if (!isProcessAlive(state.pid)) {
      console.log("Stopped basekit local stack.");
      return 0;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.error(`basekit (pid ${state.pid}) did not stop within 30s.`);
  return 1;
}
