// Parses `Prefer` headers as PostgREST does: comma lists, possibly repeated; each item must match a
// known value exactly, and the first match of each kind wins. `handling=strict` refuses the rest.
import { RestError } from "../errors.ts";

export interface Preferences {
  return?: "minimal" | "headers-only" | "representation";
  count?: "exact" | "planned" | "estimated";
  resolution?: "merge-duplicates" | "ignore-duplicates";
  missing?: "default" | "null";
  handling?: "strict" | "lenient";
  timezone?: string;
  maxAffected?: number;
  tx?: "commit" | "rollback";
}

const KNOWN: Record<string, readonly string[]> = {
  return: ["minimal", "headers-only", "representation"],
  count: ["exact", "planned", "estimated"],
  resolution: ["merge-duplicates", "ignore-duplicates"],
  missing: ["default", "null"],
  handling: ["strict", "lenient"],
  tx: ["commit", "rollback"],
};

/** `isTimezone` tells the zone names PostgreSQL knows; an unknown zone is not honoured (and is an
 * invalid preference under `handling=strict`). Without it every zone is taken. */
export function parsePrefer(header: string | string[] | undefined, isTimezone: (name: string) => boolean = () => true): Preferences {
  const items = header === undefined ? [] : (Array.isArray(header) ? header : [header]).flatMap((h) => h.split(",").map((p) => p.trim()));
  const prefs: Preferences = {};
  const invalid: string[] = [];
  const values = prefs as Record<string, unknown>;
  let timezoneSeen = false;
  let maxAffectedSeen = false;
  for (const item of items) {
    if (item.startsWith("timezone=")) {
      const zone = item.slice("timezone=".length);
      // Only the first timezone item counts; it and its repeats are valid iff that zone is known.
      if (!timezoneSeen) {
        timezoneSeen = true;
        if (isTimezone(zone)) prefs.timezone = zone;
      }
      if (prefs.timezone === undefined) invalid.push(item);
      continue;
    }
    if (item.startsWith("max-affected=")) {
      if (!maxAffectedSeen) {
        maxAffectedSeen = true;
        const value = item.slice("max-affected=".length);
        if (/^-?\d+$/.test(value)) prefs.maxAffected = Number(value);
      }
      continue;
    }
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? "" : item.slice(eq + 1);
    if (KNOWN[key]?.includes(value)) values[key] ??= value;
    else invalid.push(item);
  }
  if (prefs.handling === "strict" && invalid.length) {
    throw new RestError(400, "PGRST122", "Invalid preferences given with handling=strict", `Invalid preferences: ${invalid.join(", ")}`);
  }
  return prefs;
}

/** Counts the rows exactly (in the statement): `exact`, and `estimated` up to max_rows. */
export function countsExactly(prefs: Preferences): boolean {
  return prefs.count === "exact" || prefs.count === "estimated";
}

export interface AppliedOptions {
  /** A mutation (POST/PATCH/PUT/DELETE): `return` is echoed. */
  mutation: boolean;
  /** A POST to a table with a primary key or `on_conflict`: `resolution` is echoed. */
  resolution: boolean;
  /** POST/PATCH: `missing` is echoed (defaults to `mutation`). */
  missing?: boolean;
  /** PATCH/DELETE/RPC: `max-affected` is echoed (with handling=strict only). */
  maxAffected?: boolean;
}

/** The Preference-Applied header value for the preferences PostgREST honoured, in its order. */
export function appliedPreferences(prefs: Preferences, options: AppliedOptions): string | undefined {
  const parts: string[] = [];
  if (prefs.resolution && options.resolution) parts.push(`resolution=${prefs.resolution}`);
  if (prefs.missing && (options.missing ?? options.mutation)) parts.push(`missing=${prefs.missing}`);
  if (prefs.return && options.mutation) parts.push(`return=${prefs.return}`);
  if (prefs.count) parts.push(`count=${prefs.count}`);
  if (prefs.tx) parts.push(`tx=${prefs.tx}`);
  if (prefs.handling) parts.push(`handling=${prefs.handling}`);
  if (prefs.timezone) parts.push(`timezone=${prefs.timezone}`);
  if (prefs.maxAffected !== undefined && options.maxAffected && prefs.handling === "strict")
    parts.push(`max-affected=${prefs.maxAffected}`);
  return parts.length ? parts.join(", ") : undefined;
}
