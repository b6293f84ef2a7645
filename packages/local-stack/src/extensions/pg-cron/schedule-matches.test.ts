// When a parsed cron schedule is due (UTC), and which minutes the scheduler looks at after the
// clock moved, as pg_cron (Vixie cron) decides. No stack needed.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type CronFields, matchesMinute, minutesToCheck } from "./schedule-matches.ts";

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const every = { minute: range(0, 59), hour: range(0, 23), dom: range(1, 31), month: range(1, 12), dow: range(0, 7) };
const at = (iso: string) => Date.parse(iso);

test("fields must all match; a listed minute and hour select only that time", () => {
  const daily: CronFields = { ...every, minute: [30], hour: [4] };
  assert.equal(matchesMinute(daily, at("2026-03-10T04:30:00Z")), true);
  assert.equal(matchesMinute(daily, at("2026-03-10T04:31:00Z")), false);
  assert.equal(matchesMinute(daily, at("2026-03-10T05:30:00Z")), false);
});

test("day of month and day of week: either when both are restricted, both when one is *", () => {
  // 0 0 13 * 5: the 13th, or any Friday.
  const either: CronFields = { ...every, minute: [0], hour: [0], dom: [13], dow: [5] };
  assert.equal(matchesMinute(either, at("2026-03-13T00:00:00Z")), true, "Friday the 13th");
  assert.equal(matchesMinute(either, at("2026-04-13T00:00:00Z")), true, "a Monday the 13th");
  assert.equal(matchesMinute(either, at("2026-03-20T00:00:00Z")), true, "a Friday");
  assert.equal(matchesMinute(either, at("2026-03-19T00:00:00Z")), false, "neither");
  // 0 0 * * 5: Fridays only.
  const fridays: CronFields = { ...every, minute: [0], hour: [0], dow: [5], dom_star: true };
  assert.equal(matchesMinute(fridays, at("2026-03-20T00:00:00Z")), true);
  assert.equal(matchesMinute(fridays, at("2026-03-19T00:00:00Z")), false);
});

test("Sunday is 0 and 7; $ is the last day of the month", () => {
  const sundays: CronFields = { ...every, minute: [0], hour: [0], dow: [0, 7], dom_star: true };
  assert.equal(matchesMinute(sundays, at("2026-03-15T00:00:00Z")), true);
  const lastDay: CronFields = { ...every, minute: [0], hour: [0], dom: [], dom_last: true, dow_star: true };
  assert.equal(matchesMinute(lastDay, at("2026-02-28T00:00:00Z")), true);
  assert.equal(matchesMinute(lastDay, at("2028-02-28T00:00:00Z")), false, "a leap year's February has a 29th");
  assert.equal(matchesMinute(lastDay, at("2028-02-29T00:00:00Z")), true);
  assert.equal(matchesMinute(lastDay, at("2026-03-30T00:00:00Z")), false);
});

test("wildcard and fixed-time jobs are told apart for clock jumps", () => {
  const wildcard: CronFields = { ...every, min_star: true };
  const fixed: CronFields = { ...every, minute: [5], hour: [1] };
  const time = at("2026-03-10T01:05:00Z");
  assert.equal(matchesMinute(wildcard, time, { wild: false, fixed: true }), false);
  assert.equal(matchesMinute(wildcard, time, { wild: true, fixed: false }), true);
  assert.equal(matchesMinute(fixed, time, { wild: true, fixed: false }), false);
  assert.equal(matchesMinute(fixed, time, { wild: false, fixed: true }), true);
});

test("the minutes looked at: none within a minute, each missed one up to 5, fixed-time catch-up up to 3 hours", () => {
  const start = at("2026-03-10T01:00:00Z");
  assert.deepEqual(minutesToCheck(start, start + 59_000), { checks: [], lastMinute: start });
  const late = minutesToCheck(start, start + 3 * 60_000 + 10_000);
  assert.deepEqual(
    late.checks.map((check) => [new Date(check.time).toISOString().slice(11, 16), check.wild, check.fixed]),
    [
      ["01:01", true, true],
      ["01:02", true, true],
      ["01:03", true, true],
    ],
  );
  assert.equal(late.lastMinute, start + 3 * 60_000);
  const jump = minutesToCheck(start, start + 10 * 60_000);
  assert.equal(jump.checks.filter((check) => check.fixed && !check.wild).length, 10);
  assert.deepEqual(jump.checks.at(-1), { time: start + 10 * 60_000, wild: true, fixed: false });
  const far = minutesToCheck(start, start + 5 * 3_600_000);
  assert.deepEqual(far.checks, [{ time: start + 5 * 3_600_000, wild: true, fixed: true }]);
  assert.deepEqual(minutesToCheck(start, start - 120_000), { checks: [], lastMinute: start }, "a clock set back waits");
});
