// Runs one pg_cron job as pg_cron does without background workers: a new session as the job's
// user in the job's database (so its privileges and RLS apply, nothing more), the command sent as
// one simple query (several statements allowed), and the run recorded in cron.job_run_details:
// starting -> running (with the session's pid) -> succeeded | failed, with the last statement's
// result ("1 row", "INSERT 0 1") or the error.
import type { Sql } from "../../db/connect.ts";
import type { Logger } from "../../log/logger.ts";

export interface CronJob {
  jobid: string;
  command: string;
  database: string;
  username: string;
}

export interface RunJobDeps {
  /** The scheduler's connection (superuser) to the database holding cron.*. */
  sql: Sql;
  /** A one-session connection as `username` to `database`. */
  connectAs(username: string, database: string): Sql;
  logger: Logger;
}

interface CommandResult {
  command?: string;
  count?: number | null;
  columns?: unknown[];
  length: number;
}

/** What libpq reports for a result: rows for a query returning rows, else the command tag. */
export function describeResult(result: CommandResult): string {
  if (result.columns && result.columns.length > 0) return `${result.length} ${result.length === 1 ? "row" : "rows"}`;
  const command = result.command ?? "";
  const count = result.count ?? 0;
  if (command === "INSERT") return `INSERT 0 ${count}`;
  if (["UPDATE", "DELETE", "MERGE", "SELECT", "MOVE", "FETCH", "COPY"].includes(command)) return `${command} ${count}`;
  return command;
}

export async function runJob(job: CronJob, deps: RunJobDeps): Promise<void> {
  const { sql, logger } = deps;
  const [{ runid }] = await sql<{ runid: string }[]>`
    insert into cron.job_run_details (jobid, database, username, command, status)
    values (${job.jobid}, ${job.database}, ${job.username}, ${job.command}, 'starting')
    returning runid`;
  const finish = (status: "succeeded" | "failed", message: string) =>
    sql`update cron.job_run_details set status = ${status}, return_message = ${message}, end_time = now() where runid = ${runid}`;

  const session = deps.connectAs(job.username, job.database);
  try {
    let pid: number;
    try {
      [{ pid }] = await session<{ pid: number }[]>`select pg_backend_pid() as pid`;
    } catch (error) {
      logger.warn("cron job could not connect", { jobid: job.jobid, username: job.username, error: (error as Error).message });
      await finish("failed", "connection failed");
      return;
    }
    await sql`update cron.job_run_details set status = 'running', job_pid = ${pid}, start_time = now() where runid = ${runid}`;
    try {
      const results = (await session.unsafe(job.command).simple()) as unknown as CommandResult | CommandResult[];
      // One statement gives its result; several give the list of results, whose last one counts.
      const last = Array.isArray(results) && results.length > 0 && (results as CommandResult[]).every(isResult) ? results.at(-1) : results;
      await finish("succeeded", describeResult(last as CommandResult));
    } catch (error) {
      await finish("failed", `ERROR:  ${(error as Error).message}\n`);
    }
  } finally {
    await session.end({ timeout: 1 }).catch(() => {});
  }
}

const isResult = (value: unknown): value is CommandResult => Array.isArray(value) && "command" in value;
