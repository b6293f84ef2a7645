// The running stack leaves a small JSON file in its state directory so that `status`, `stop` and
// a second `start` can find it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface StackState {
  pid: number;
  apiPort: number;
  dbPort: number;
  mailPort: number;
  dbUrl: string;
  startedAt: string;
}

const stateFile = (stateDir: string) => join(stateDir, "stack.json");

/** A second `start` of a project whose stack is already running. */
export class AlreadyRunningError extends Error {}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The state of a running stack, or undefined (a file whose process died is removed). */
export function readStackState(stateDir: string): StackState | undefined {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  try {
    const state = JSON.parse(readFileSync(file, "utf8")) as StackState;
    if (isProcessAlive(state.pid)) return state;
  } catch {
    // unreadable: treat as stale
  }
  rmSync(file, { force: true });
  return undefined;
}

export function writeStackState(stateDir: string, state: StackState): void {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearStackState(stateDir: string, pid = process.pid): void {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return;
  try {
    if ((JSON.parse(readFileSync(file, "utf8")) as StackState).pid !== pid) return;
  } catch {
    // fall through and remove
  }
  rmSync(file, { force: true });
}
