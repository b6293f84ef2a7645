// One place that opens postgres.js clients, so every service gets the same defaults.
import postgres from "postgres";

export type Sql = postgres.Sql;

export function connect(url: string, options: postgres.Options<Record<string, postgres.PostgresType>> = {}): Sql {
  return postgres(url, {
    max: 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    ...options,
    connection: { application_name: "basekit", ...options.connection },
  });
}
