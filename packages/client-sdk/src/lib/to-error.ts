// Maps what supabase-js returns (PostgrestError, AuthError, fetch failures) onto the SDK's error tree.
import { AuthError } from "@supabase/supabase-js";
import { BasekitApiError, BasekitAuthError, type BasekitError, type BasekitErrorCode, BasekitNetworkError } from "./errors.ts";

interface PostgrestLikeError {
  message: string;
  code: string;
  details?: string | null;
  hint?: string | null;
}

/** PostgREST / PostgreSQL codes -> the SDK's codes. Unlisted codes are `database_error`. */
const pgCodes: Record<string, BasekitErrorCode> = {
  PGRST116: "not_found", // .single() found no row
  PGRST301: "not_authenticated", // JWT invalid or expired
  PGRST302: "not_authenticated",
  "42501": "permission_denied", // insufficient privilege / RLS violation
  "23505": "conflict", // unique violation
  "23503": "invalid_input", // foreign key violation
  "23514": "invalid_input", // check violation
  "23502": "invalid_input", // not null violation
  "22P02": "invalid_input", // invalid text representation (bad uuid...)
  "22023": "invalid_input", // invalid parameter value (raised by our functions)
  P0002: "not_found", // no_data_found (raised by our functions)
  "28000": "permission_denied", // invalid authorization (raised by our functions)
};

export function fromPostgrestError(error: PostgrestLikeError, status?: number): BasekitError {
  if (!error.code && /fetch failed|Failed to fetch|NetworkError|ECONNREFUSED/i.test(`${error.message} ${error.details ?? ""}`)) {
    return new BasekitNetworkError(error.message, error);
  }
  const code = pgCodes[error.code] ?? (status === 401 ? "not_authenticated" : status === 404 ? "not_found" : "database_error");
  return new BasekitApiError(error.message, code, {
    status,
    cause: error,
    pgCode: error.code,
    details: error.details ?? undefined,
    hint: error.hint ?? undefined,
  });
}

export function fromAuthError(error: AuthError | Error): BasekitError {
  if (error instanceof AuthError) {
    if (error.name === "AuthRetryableFetchError" && !error.status) return new BasekitNetworkError(error.message, error);
    const code = error.code ?? (error.name === "AuthSessionMissingError" ? "not_authenticated" : "unknown_error");
    return new BasekitAuthError(error.message, code, { status: error.status, cause: error });
  }
  return new BasekitAuthError(error.message, "unknown_error", { cause: error });
}
