// The values `basekit status` prints, named as `supabase status -o env` names them.
import type { StackConfig } from "../config/load-config.ts";
import type { ApiKeys } from "../keys/api-keys.ts";

export interface StatusValue {
  env: string;
  label: string;
  value: string;
  /** What must answer for the value to be shown (service-probe.ts): "api", "db" or a service's name. */
  service: string;
}

/** The values, only those whose service answers when `answering` is given. */
export function statusValues(config: StackConfig, keys: ApiKeys, dbUrl?: string, answering?: ReadonlySet<string>): StatusValue[] {
  const api = `http://${config.host}:${config.api.port}`;
  const mail = `http://${config.host}:${config.mail.port}`;
  const values: StatusValue[] = [
    { env: "API_URL", label: "API URL", value: api, service: "api" },
    { env: "REST_URL", label: "REST URL", value: `${api}/rest/v1`, service: "rest" },
    { env: "GRAPHQL_URL", label: "GraphQL URL", value: `${api}/graphql/v1`, service: "graphql" },
    { env: "FUNCTIONS_URL", label: "Functions URL", value: `${api}/functions/v1`, service: "functions" },
    { env: "STORAGE_S3_URL", label: "S3 Storage URL", value: `${api}/storage/v1/s3`, service: "storage-s3" },
    {
      env: "DB_URL",
      label: "DB URL",
      value: dbUrl ?? `postgresql://postgres:postgres@${config.host}:${config.db.port}/postgres`,
      service: "db",
    },
    { env: "MAILPIT_URL", label: "Mail URL", value: mail, service: "mail" },
    { env: "INBUCKET_URL", label: "Inbucket URL", value: mail, service: "mail" },
    { env: "PUBLISHABLE_KEY", label: "Publishable key", value: keys.publishableKey, service: "api" },
    { env: "SECRET_KEY", label: "Secret key", value: keys.secretKey, service: "api" },
    { env: "JWT_SECRET", label: "JWT secret", value: keys.jwtSecret, service: "api" },
    { env: "ANON_KEY", label: "anon key", value: keys.anonKey, service: "api" },
    { env: "SERVICE_ROLE_KEY", label: "service_role key", value: keys.serviceRoleKey, service: "api" },
  ];
  return answering ? values.filter((value) => answering.has(value.service)) : values;
}

export function formatStatus(values: StatusValue[], format: "pretty" | "env" | "json"): string {
  if (format === "env") return values.map((v) => `${v.env}="${v.value}"`).join("\n");
  if (format === "json") return JSON.stringify(Object.fromEntries(values.map((v) => [v.env, v.value])), null, 2);
  const shown = values.filter((v) => v.env !== "INBUCKET_URL");
  const width = Math.max(...shown.map((v) => v.label.length));
  return shown.map((v) => `${v.label.padStart(width)}: ${v.value}`).join("\n");
}
