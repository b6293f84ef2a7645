// Supabase Auth's error responses: an HTTP status, a machine-readable `error_code` and a message,
// shaped by the API version the client asked for (auth-js always sends 2024-01-01).
import { type GatewayResponse, json } from "../gateway/types.ts";

export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headerCode = true,
  ) {
    super(message);
  }
}

/** GoTrue's OAuth-style error: 400 `{error, error_description}`, no error code (id_token grant). */
export class OAuthError extends AuthError {
  constructor(
    readonly oauthError: string,
    description: string,
  ) {
    super(400, oauthError, description);
  }
}

export const API_VERSION = "2024-01-01";

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unauthorized = (code: string, message: string) => new AuthError(401, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const tooManyRequests = (code: string, message: string) => new AuthError(429, code, message);
export const validationFailed = (message: string) => badRequest("validation_failed", message);

export const invalidCredentials = () => badRequest("invalid_credentials", "Invalid login credentials");
export const otpExpired = () => forbidden("otp_expired", "Token has expired or is invalid");

/** True when the request's X-Supabase-Api-Version is 2024-01-01 or later. */
export function wantsVersionedErrors(header: string | string[] | undefined): boolean {
  return typeof header === "string" && /^\d{4}-\d{2}-\d{2}$/.test(header) && header >= API_VERSION;
}

export function errorResponse(error: AuthError, versioned: boolean): GatewayResponse {
  if (error instanceof OAuthError) return json(400, { error: error.oauthError, error_description: error.message });
  // Errors without a code of their own (a hook's) get none in the header, only in the body.
  const headers: Record<string, string> = error.headerCode ? { "x-sb-error-code": error.code } : {};
  if (versioned) {
    headers["x-supabase-api-version"] = API_VERSION;
    return json(error.status, { code: error.code, message: error.message, ...error.extra }, headers);
  }
  return json(error.status, { code: error.status, error_code: error.code, msg: error.message, ...error.extra }, headers);
}
