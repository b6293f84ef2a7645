// Aggregates in `select` (`count()`, `col.sum()`...) are off unless `pgrst.db_aggregates_enabled`
// is on (Supabase's default is off): then any of them, at any depth, is PGRST123.
import { RestError } from "../errors.ts";
import type { SelectItem } from "../parse/select.ts";

function usesAggregate(items: SelectItem[]): boolean {
  return items.some((item) =>
    item.kind === "field" ? item.aggregate !== undefined : item.kind === "embed" && usesAggregate(item.children),
  );
}

export function assertAggregatesAllowed(select: SelectItem[], enabled: boolean): void {
  if (!enabled && usesAggregate(select)) throw new RestError(400, "PGRST123", "Use of aggregate functions is not allowed");
}
