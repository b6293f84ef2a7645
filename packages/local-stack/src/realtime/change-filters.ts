// Which bindings of the subscribers who may see a change want it, by their filters. Called only
// after RLS has decided, so a filter is never evaluated on a row its subscriber cannot see (a
// pattern's cost or outcome would tell them something about it). Plain comparisons run here;
// patterns are decided by Postgres, once per distinct pattern and column for all subscribers.
import type { Channel } from "./channel.ts";
import { isPatternFilter, matchesFilters } from "./filters.ts";
import { type PatternCheck, PatternError, type PatternMatcher } from "./pattern-filters.ts";
import type { PostgresBinding } from "./postgres-changes-bindings.ts";

export interface FilterTarget {
  channel: Channel;
  /** The channel's bindings that concern the change's table and event. */
  bindings: PostgresBinding[];
}

type Values = Record<string, string | null | undefined>;

interface PendingBinding {
  target: number;
  binding: PostgresBinding;
  checks: { index: number; negate: boolean }[];
}

/**
 * Returns, per target, the ids of its bindings whose filters all hold on `valuesOf(target)` (the
 * change's values that target may see). A binding whose pattern Postgres refuses is handed to
 * `onFailure` and wants nothing.
 */
export async function bindingsWanting(
  matcher: PatternMatcher,
  targets: FilterTarget[],
  valuesOf: (target: FilterTarget) => Values,
  types: Record<string, string>,
  onFailure: (target: FilterTarget, binding: PostgresBinding, error: PatternError) => void,
): Promise<number[][]> {
  const ids: number[][] = targets.map(() => []);
  const checks: PatternCheck[] = [];
  const checkIndexes = new Map<string, number>();
  const pending: PendingBinding[] = [];
  targets.forEach((target, t) => {
    const values = valuesOf(target);
    for (const binding of target.bindings) {
      if (ids[t].includes(binding.id) || !matchesFilters(binding.filters, values, types)) continue;
      const patterns = binding.filters.filter(isPatternFilter);
      if (patterns.length === 0) {
        ids[t].push(binding.id);
        continue;
      }
      const own = patterns.map((filter) => {
        // A column's value is the same for every target that may see it: one check serves all.
        const key = `${filter.op}\u0000${filter.column}\u0000${filter.value}`;
        let index = checkIndexes.get(key);
        if (index === undefined) {
          index = checks.length;
          checks.push({ op: filter.op, pattern: filter.value, value: values[filter.column] as string });
          checkIndexes.set(key, index);
        }
        return { index, negate: filter.negate };
      });
      pending.push({ target: t, binding, checks: own });
    }
  });
  const outcomes = await matcher.evaluate(checks);
  for (const { target, binding, checks: own } of pending) {
    const failure = own.map((check) => outcomes[check.index]).find((outcome) => outcome instanceof PatternError);
    if (failure) {
      onFailure(targets[target], binding, failure);
      continue;
    }
    if (own.every((check) => outcomes[check.index] !== check.negate) && !ids[target].includes(binding.id)) ids[target].push(binding.id);
  }
  return ids;
}
