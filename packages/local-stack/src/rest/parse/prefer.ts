// Parses `Prefer` headers (comma lists, possibly repeated; the first value of each kind wins).
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

export function parsePrefer(header: string | string[] | undefined): Preferences {
  const raw = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(",").map((part) => part.trim());
  const prefs: Preferences = {};
  const invalid: string[] = [];
  const values = prefs as Record<string, unknown>;
  for (const item of raw) {
    if (!item) continue;
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq).trim();
    const value = eq < 0 ? "" : item.slice(eq + 1).trim();
    if (key === "timezone" && value) prefs.timezone ??= value;
    else if (key === "max-affected" && /^\d+$/.test(value)) prefs.maxAffected ??= Number(value);
    else if (KNOWN[key]?.includes(value)) values[key] ??= value;
    else invalid.push(item);
  }
  if (prefs.handling === "strict" && invalid.length) {
    throw new RestError(400, "PGRST122", "Invalid preferences given with handling=strict", `Invalid preferences: ${invalid.join(", ")}`);
  }
  return prefs;
}

/** The Preference-Applied header value for the preferences PostgREST honoured. */
export function appliedPreferences(prefs: Preferences, options: { mutation: boolean; resolution: boolean }): string | undefined {
  const parts: string[] = [];
  if (prefs.resolution && options.resolution) parts.push(`resolution=${prefs.resolution}`);
  if (prefs.missing) parts.push(`missing=${prefs.missing}`);
  if (prefs.return && options.mutation) parts.push(`return=${prefs.return}`);
  if (prefs.count) parts.push(`count=${prefs.count}`);
  if (prefs.handling) parts.push(`handling=${prefs.handling}`);
  if (prefs.timezone) parts.push(`timezone=${prefs.timezone}`);
  return parts.length ? parts.join(", ") : undefined;
}
