// What a failed request transaction answers: the row checks raised from inside the statement
// (sql/wrap.ts) become their PGRST errors, PostgreSQL errors map by SQLSTATE, a lost connection is
// PGRST000. Anything else is a bug and is rethrown as it is.
import { fromPgError, type PgErrorLike, RestError } from "./errors.ts";
import { singularError } from "./respond.ts";
import { rowCheckFailure } from "./sql/wrap.ts";
import { ConnectionLostError } from "./wire/connection.ts";

const isPostgresError = (error: unknown): error is PgErrorLike =>
  !!error && typeof error === "object" && "code" in error && "message" in error && (error as { name?: string }).name === "PostgresError";

/** `maxChanged` is the limit of a limited update/delete, for PGRST110's details. */
export function executionError(error: unknown, opts: { isAnon: boolean; maxChanged?: number }): unknown {
  if (error instanceof RestError) return error;
  if (error instanceof ConnectionLostError)
    return new RestError(503, "PGRST000", "Database connection error. Retrying the connection.", error.message);
  if (!isPostgresError(error)) return error;
  const failure = rowCheckFailure(error);
  switch (failure?.check) {
    case "singular":
      return singularError(failure.rows);
    case "put":
      return new RestError(400, "PGRST115", "Payload values do not match URL in primary key column(s)");
    case "limit":
      return new RestError(
        400,
        "PGRST110",
        "The maximum number of rows allowed to change was surpassed",
        `Results contain ${failure.rows} rows changed but the maximum number allowed is ${opts.maxChanged}`,
      );
    case "max-affected":
      return new RestError(
        400,
        "PGRST124",
        "Query result exceeds max-affected preference constraint",
        `The query affects ${failure.rows} rows`,
      );
    default:
      return fromPgError(error, opts.isAnon);
  }
}
