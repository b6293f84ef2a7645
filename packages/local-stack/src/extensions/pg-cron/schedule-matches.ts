// When a pg_cron job is due. The schedule is parsed once, in SQL (cron._parse_schedule, which
// cron.schedule() also validates with), into value lists; this decides, as pg_cron does, which
// minutes to run it in. Times are UTC (pg_cron's cron.timezone defaults to GMT, as on Supabase).

export interface CronFields {
  minute: number[];
  hour: number[];
  dom: number[];
  month: number[];
  /** 0-7, Sunday being both 0 and 7. */
  dow: number[];
  min_star?: boolean;
  hr_star?: boolean;
  dom_star?: boolean;
  dow_star?: boolean;
  /** `$`: the last day of the month. */
  dom_last?: boolean;
}

export type ParsedSchedule = CronFields | { seconds: number } | { reboot: true };

export const isInterval = (schedule: ParsedSchedule): schedule is { seconds: number } => "seconds" in schedule;
export const isReboot = (schedule: ParsedSchedule): schedule is { reboot: true } => "reboot" in schedule;
export const isCron = (schedule: ParsedSchedule): schedule is CronFields => "minute" in schedule;

const MINUTE = 60_000;
const DAY = 86_400_000;

export const minuteStart = (time: number) => time - (time % MINUTE);

/**
 * Whether `fields` selects the minute starting at `time`. `wild` / `fixed` choose the kind of job
 * to consider: wildcard ones (`*` in the minute or hour field) or fixed-time ones, which differ only
 * when the clock jumped (see minutesToCheck).
 */
export function matchesMinute(fields: CronFields, time: number, kinds = { wild: true, fixed: true }): boolean {
  const at = new Date(time);
  const lastDayOfMonth = new Date(time + DAY).getUTCDate() === 1;
  const thisDom = fields.dom.includes(at.getUTCDate()) || (lastDayOfMonth && fields.dom_last === true);
  const thisDow = fields.dow.includes(at.getUTCDay());
  // Vixie cron: when either day field is `*`, both must match; otherwise either may.
  const dayMatches = fields.dom_star || fields.dow_star ? thisDom && thisDow : thisDom || thisDow;
  if (!(fields.minute.includes(at.getUTCMinutes()) && fields.hour.includes(at.getUTCHours()))) return false;
  if (!(fields.month.includes(at.getUTCMonth() + 1) && dayMatches)) return false;
  const wildcard = fields.min_star === true || fields.hr_star === true;
  return wildcard ? kinds.wild : kinds.fixed;
}

export interface MinuteCheck {
  time: number;
  wild: boolean;
  fixed: boolean;
}

/**
 * The minutes to look at now that the clock reads `now`, the last one looked at being
 * `lastMinute`, with Vixie cron's handling of clock jumps as pg_cron has it: 1-5 minutes late, run
 * every missed minute; up to 3 hours, run the missed fixed-time jobs but wildcard jobs only once;
 * more, only the current minute. A clock set back waits until it has caught up.
 */
export function minutesToCheck(lastMinute: number, now: number): { checks: MinuteCheck[]; lastMinute: number } {
  const current = minuteStart(now);
  const passed = Math.floor(Math.max(0, now - lastMinute) / MINUTE);
  if (passed === 0) return { checks: [], lastMinute };
  const checks: MinuteCheck[] = [];
  if (passed > 180) {
    checks.push({ time: current, wild: true, fixed: true });
  } else {
    const catchUp = passed <= 5;
    for (let time = lastMinute + MINUTE; time <= current; time += MINUTE) checks.push({ time, wild: catchUp, fixed: true });
    if (!catchUp) checks.push({ time: current, wild: true, fixed: false });
  }
  return { checks, lastMinute: current };
}
