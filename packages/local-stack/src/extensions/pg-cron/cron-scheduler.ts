// The local stack's pg_cron scheduler. It keeps cron.job in memory (reloaded on NOTIFY pg_cron,
// sent when cron.job changes, and now and then), and every second decides which jobs are due, as
// pg_cron does: 'N seconds' jobs when N seconds have passed since their last start, cron
// schedules once per matching minute, @reboot once when the scheduler starts. A job never runs
// twice at once (runs due meanwhile wait their turn), and at most cron.max_running_jobs (32) run
// together. It works only where the installed pg_cron is basekit's: the real one runs its own jobs.
import type { Sql } from "../../db/connect.ts";
import type { Logger } from "../../log/logger.ts";
import { type CronJob, type RunJobDeps, runJob } from "./run-job.ts";
import { isCron, isInterval, isReboot, matchesMinute, minuteStart, minutesToCheck, type ParsedSchedule } from "./schedule-matches.ts";

const MAX_RUNNING_JOBS = 32;

interface JobRow extends CronJob {
  schedule: string;
  active: boolean;
  parsed: ParsedSchedule | null;
}

interface Task {
  job: JobRow;
  pending: number;
  running: boolean;
  lastStart: number;
  removed: boolean;
}

export interface CronSchedulerHealth {
  /** basekit's pg_cron is installed in the database, so this scheduler runs its jobs. */
  emulated: boolean;
  jobs: number;
  running: number;
  runs: number;
}

export class CronScheduler {
  private readonly tasks = new Map<string, Task>();
  private emulated = false;
  private lastMinute = 0;
  private rebootsQueued = false;
  private running = 0;
  private runs = 0;
  private reloading?: Promise<void>;
  private reloadQueued?: Promise<void>;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: RunJobDeps) {}

  private get logger(): Logger {
    return this.deps.logger;
  }

  private get sql(): Sql {
    return this.deps.sql;
  }

  health(): CronSchedulerHealth {
    return { emulated: this.emulated, jobs: this.tasks.size, running: this.running, runs: this.runs };
  }

  /** Runs left marked starting/running by a stack that stopped mid-run failed, as pg_cron says at start. */
  async markInterruptedRuns(): Promise<void> {
    await this.reload().catch(() => {});
    if (!this.emulated) return;
    await this.sql`
      update cron.job_run_details set status = 'failed', return_message = 'server restarted'
      where status in ('starting', 'running')`.catch(() => {});
  }

  /** Reads cron.job again; a call during a read gets one more read after it, which sees its change. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadQueued ??= this.reloading
        .catch(() => {})
        .then(() => {
          this.reloadQueued = undefined;
          return this.reload();
        });
      return this.reloadQueued;
    }
    this.reloading = this.load().finally(() => {
      this.reloading = undefined;
    });
    return this.reloading;
  }

  private async load(): Promise<void> {
    const [{ emulated }] = await this.sql<{ emulated: boolean }[]>`
      select exists (select from pg_available_extensions where name = 'pg_cron' and installed_version is not null and comment like '%basekit%')
             and to_regprocedure('cron._parse_schedule(text)') is not null as emulated`;
    this.emulated = emulated;
    const rows = emulated
      ? await this.sql<JobRow[]>`
          select jobid, schedule, command, database, username, active, cron._parse_schedule(schedule) as parsed from cron.job`
      : [];
    const seen = new Set<string>();
    for (const row of rows) {
      seen.add(row.jobid);
      if (row.parsed === null) this.logger.warn("invalid pg_cron schedule: job never runs", { jobid: row.jobid, schedule: row.schedule });
      const task = this.tasks.get(row.jobid);
      if (task) task.job = row;
      else this.tasks.set(row.jobid, { job: row, pending: 0, running: false, lastStart: 0, removed: false });
    }
    for (const [jobid, task] of this.tasks) {
      if (seen.has(jobid)) continue;
      task.removed = true;
      if (!task.running) this.tasks.delete(jobid);
    }
  }

  /** Queues the runs that are due at `now` and starts those that may start. */
  tick(now = Date.now()): void {
    if (this.stopped) return;
    const tasks = [...this.tasks.values()].filter((task) => !task.removed && task.job.active && task.job.parsed !== null);
    if (!this.rebootsQueued && this.emulated) {
      for (const task of tasks) if (isReboot(task.job.parsed as ParsedSchedule)) task.pending++;
      this.rebootsQueued = true;
    }
    for (const task of tasks) {
      const parsed = task.job.parsed as ParsedSchedule;
      // Like pg_cron: an interval job that overran its interval runs once more at once, then keeps its cadence.
      if (isInterval(parsed) && task.pending === 0 && now - task.lastStart >= parsed.seconds * 1000) task.pending++;
    }
    if (this.lastMinute === 0) this.lastMinute = minuteStart(now);
    const { checks, lastMinute } = minutesToCheck(this.lastMinute, now);
    this.lastMinute = lastMinute;
    for (const check of checks) {
      for (const task of tasks) {
        const parsed = task.job.parsed as ParsedSchedule;
        if (isCron(parsed) && matchesMinute(parsed, check.time, check)) task.pending++;
      }
    }
    for (const task of this.tasks.values()) {
      if (task.running || task.pending === 0 || this.running >= MAX_RUNNING_JOBS) continue;
      if (task.removed || !task.job.active) {
        task.pending = 0;
        continue;
      }
      this.start(task, now);
    }
  }

  private start(task: Task, now: number): void {
    task.pending--;
    task.running = true;
    task.lastStart = now;
    this.running++;
    this.runs++;
    const run = runJob(task.job, this.deps)
      .catch((error: Error) => this.logger.error("cron job run not recorded", { jobid: task.job.jobid, error: error.message }))
      .finally(() => {
        task.running = false;
        this.running--;
        this.inFlight.delete(run);
        if (task.removed) this.tasks.delete(task.job.jobid);
        this.tick();
      });
    this.inFlight.add(run);
  }

  /**
   * Starts nothing more and gives the runs under way a moment to end. One still running is cut
   * off when the database stops, and marked failed ('server restarted') at the next start.
   */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(this.inFlight), grace]);
    clearTimeout(timer);
  }
}
