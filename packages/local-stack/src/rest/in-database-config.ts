// PostgREST's in-database configuration: the `pgrst.*` settings of the role the service logs in as
// (authenticator), for this database or for all, read at start and again on
// `NOTIFY pgrst, 'reload config'`. As in PostgREST they override the configuration file
// (config.toml's [api]); a value we cannot use is reported with its name, never applied halfway.
import type { Sql } from "postgres";

export type TxEnd = "commit" | "commit-allow-override" | "rollback" | "rollback-allow-override";

export interface RestSettings {
  schemas: string[];
  extraSearchPath: string[];
  maxRows: number | null;
  /** Public URL of the API, for the OpenAPI document. */
  externalUrl: string;
  /** `pgrst.db_plan_enabled`: always false here (plans are not served; turning it on is reported). */
  planEnabled: boolean;
  /** `pgrst.db_aggregates_enabled`: `count()`, `sum()`... in `select`. */
  aggregatesEnabled: boolean;
  /** `pgrst.db_tx_end`: how transactions end and whether `Prefer: tx=` may change it. */
  txEnd: TxEnd;
}

// db-specific settings (setdatabase <> 0) come last so they win over role-wide ones, as in PostgREST.
const CONFIG_QUERY = `select substr(setting, 7, strpos(setting, '=') - 7) as name, substr(setting, strpos(setting, '=') + 1) as value
  from pg_catalog.pg_db_role_setting rs, unnest(rs.setconfig) as setting
  where rs.setrole = (select oid from pg_catalog.pg_roles where rolname = current_user)
    and rs.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
    and setting like 'pgrst.%'
  order by rs.setdatabase`;

export async function readInDatabaseConfig(sql: Sql): Promise<Record<string, string>> {
  const rows = await sql.unsafe<{ name: string; value: string }[]>(CONFIG_QUERY);
  const config: Record<string, string> = {};
  for (const row of rows) config[row.name] = row.value;
  return config;
}

const list = (value: string) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");

const TX_ENDS: readonly TxEnd[] = ["commit", "commit-allow-override", "rollback", "rollback-allow-override"];

function bool(value: string): boolean | undefined {
  const lower = value.trim().toLowerCase();
  if (["true", "on", "yes", "1"].includes(lower)) return true;
  if (["false", "off", "no", "0"].includes(lower)) return false;
  return undefined;
}

/** Read elsewhere: db_pre_request by the schema cache (it is per request, not per process). */
const READ_ELSEWHERE = new Set(["db_pre_request"]);

/**
 * `base` (from config.toml) with the in-database values applied. `problems` lists, by name, every
 * value that is invalid or not supported locally; those keep the base value.
 */
export function applyInDatabaseConfig(base: RestSettings, config: Record<string, string>): { settings: RestSettings; problems: string[] } {
  const settings = { ...base };
  const problems: string[] = [];
  const invalid = (name: string, value: string) => problems.push(`pgrst.${name} = '${value}' is not a valid value; ignored`);
  for (const [name, value] of Object.entries(config)) {
    if (READ_ELSEWHERE.has(name)) continue;
    switch (name) {
      case "db_schemas": {
        const schemas = list(value);
        if (schemas.length) settings.schemas = schemas;
        else invalid(name, value);
        break;
      }
      case "db_extra_search_path":
        settings.extraSearchPath = list(value);
        break;
      case "db_max_rows": {
        const rows = value.trim() === "" ? null : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
        if (rows === null || rows > 0) settings.maxRows = rows;
        else invalid(name, value);
        break;
      }
      case "db_plan_enabled":
      case "db_aggregates_enabled": {
        const flag = bool(value);
        if (flag === undefined) invalid(name, value);
        // Execution plans (Accept: application/vnd.pgrst.plan) are not served yet: saying so
        // beats a setting that silently does nothing.
        else if (name === "db_plan_enabled" && flag) problems.push(`pgrst.db_plan_enabled = '${value}' is not supported locally; ignored`);
        else if (name === "db_aggregates_enabled") settings.aggregatesEnabled = flag;
        break;
      }
      case "db_tx_end":
        if ((TX_ENDS as readonly string[]).includes(value)) settings.txEnd = value as TxEnd;
        else invalid(name, value);
        break;
      default:
        problems.push(`pgrst.${name} is not supported locally; ignored`);
    }
  }
  return { settings, problems };
}
