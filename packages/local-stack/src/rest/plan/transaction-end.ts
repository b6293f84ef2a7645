// How a request's transaction ends, as PostgREST's `db-tx-end` decides: `commit` or `rollback`
// for every request, and with `-allow-override` a `Prefer: tx=commit|rollback` chooses (and is
// echoed in Preference-Applied). Without the override the preference is not honoured at all.
import type { TxEnd } from "../in-database-config.ts";
import type { Preferences } from "../parse/prefer.ts";

/** `prefs` without `tx` unless `txEnd` lets a request choose. */
export function honourTxPreference(prefs: Preferences, txEnd: TxEnd): Preferences {
  if (prefs.tx === undefined || txEnd.endsWith("-allow-override")) return prefs;
  const { tx: _ignored, ...rest } = prefs;
  return rest;
}

/** true when the request's transaction rolls back instead of committing. */
export function endsInRollback(prefs: Preferences, txEnd: TxEnd): boolean {
  const chosen = txEnd.endsWith("-allow-override") ? prefs.tx : undefined;
  return (chosen ?? (txEnd.startsWith("rollback") ? "rollback" : "commit")) === "rollback";
}
