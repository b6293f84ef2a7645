// postgres_changes bindings of a join: parsed params, the ids the join reply hands back (matched
// by realtime-js against the `ids` of each change), and whether a change concerns a binding.
import { createHash } from "node:crypto";
import { type ColumnFilter, FilterError, parseFilters } from "./filters.ts";

export type ChangeEvent = "INSERT" | "UPDATE" | "DELETE";

export interface PostgresBinding {
  id: number;
  /** The params exactly as the client sent them: echoed in the join reply. */
  params: Record<string, unknown>;
  event: ChangeEvent | "*";
  schema: string;
  table: string;
  /** All must hold (comma-separated in the `filter` param); empty when there is none. */
  filters: ColumnFilter[];
  /** Set when Postgres could not evaluate a filter pattern: the binding receives nothing more. */
  failure?: string;
}

export class BindingError extends Error {}

/** A stable 27-bit integer per params, as Supabase's ids (Erlang phash2) are small integers. */
function bindingId(params: Record<string, unknown>): number {
  const canonical = JSON.stringify(
    Object.keys(params)
      .sort()
      .map((key) => [key, params[key]]),
  );
  return createHash("sha1").update(canonical).digest().readUInt32BE(0) & 0x7ffffff;
}

const EVENTS = new Set(["INSERT", "UPDATE", "DELETE", "*"]);

export function parseBinding(raw: unknown): PostgresBinding {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new BindingError(
      `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(raw)}`,
    );
  const params = raw as Record<string, unknown>;
  const schema = typeof params.schema === "string" && params.schema !== "" ? params.schema : undefined;
  const table = typeof params.table === "string" && params.table !== "" ? params.table : undefined;
  if (!schema && !table)
    throw new BindingError(
      `No subscription params provided. Please provide at least a \`schema\` or \`table\` to subscribe to: ${JSON.stringify(params)}`,
    );
  const eventText = typeof params.event === "string" ? params.event.toUpperCase() : "*";
  const event = (EVENTS.has(eventText) ? eventText : "*") as PostgresBinding["event"];
  let filters: ColumnFilter[] = [];
  if (typeof params.filter === "string") {
    try {
      filters = parseFilters(params.filter);
    } catch (error) {
      if (error instanceof FilterError) throw new BindingError(error.message);
      throw error;
    }
  }
  return { id: bindingId(params), params, event, schema: schema ?? "public", table: table ?? "*", filters };
}

export function bindingConcerns(binding: PostgresBinding, schema: string, table: string, event: ChangeEvent): boolean {
  return (
    binding.failure === undefined &&
    (binding.schema === "*" || binding.schema === schema) &&
    (binding.table === "*" || binding.table === table) &&
    (binding.event === "*" || binding.event === event)
  );
}

/** The params as Supabase's error texts show them (`params_to_log`). */
export function paramsToLog(binding: PostgresBinding): string {
  const filters = binding.filters.map((filter) => {
    const value = Array.isArray(filter.value) ? `{${filter.value.join(",")}}` : filter.value;
    return `{${[filter.column, filter.op, value].map((part) => JSON.stringify(part)).join(", ")}, ${filter.negate}}`;
  });
  const select = binding.params.select;
  const selected = Array.isArray(select) ? `[${select.map((column) => JSON.stringify(String(column))).join(", ")}]` : "nil";
  return `event: ${binding.event}, schema: ${binding.schema}, table: ${binding.table}, filters: [${filters.join(", ")}], select: ${selected}`;
}
