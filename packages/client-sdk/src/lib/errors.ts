// The SDK's error tree. Every failure a call can return is a BasekitError with a stable,
// machine-readable `code`; subclasses tell where it came from (input, auth, database, network).

/** Codes the SDK itself assigns; auth errors also pass through Supabase Auth's own codes. */
export type BasekitErrorCode =
  | "validation_failed"
  | "not_authenticated"
  | "not_found"
  | "permission_denied"
  | "conflict"
  | "invalid_input"
  | "database_error"
  | "network_error"
  | "realtime_error"
  | "unknown_error"
  | (string & {});

export class BasekitError extends Error {
  readonly code: BasekitErrorCode;
  /** HTTP status of the response that failed, when there was one. */
  readonly status?: number;
  override readonly cause?: unknown;

  constructor(message: string, code: BasekitErrorCode, options: { status?: number; cause?: unknown } = {}) {
    super(message);
    this.name = "BasekitError";
    this.code = code;
    this.status = options.status;
    this.cause = options.cause;
  }

  toJSON() {
    return { name: this.name, message: this.message, code: this.code, status: this.status };
  }
}

export interface ValidationIssue {
  /** Dotted path of the offending field (`""` for the input itself). */
  path: string;
  message: string;
}

/** The input did not pass the SDK's schema; nothing was sent. */
export class BasekitValidationError extends BasekitError {
  readonly issues: ValidationIssue[];
  constructor(issues: ValidationIssue[]) {
    super(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; "), "validation_failed", { status: 400 });
    this.name = "BasekitValidationError";
    this.issues = issues;
  }
}

/** Supabase Auth refused the request; `code` is Auth's error code (e.g. `invalid_credentials`). */
export class BasekitAuthError extends BasekitError {
  constructor(message: string, code: BasekitErrorCode, options: { status?: number; cause?: unknown } = {}) {
    super(message, code, options);
    this.name = "BasekitAuthError";
  }
}

/** The REST API or the database refused the request. `pgCode` is the PostgREST/PostgreSQL code. */
export class BasekitApiError extends BasekitError {
  readonly pgCode?: string;
  readonly details?: string;
  readonly hint?: string;
  constructor(
    message: string,
    code: BasekitErrorCode,
    options: { status?: number; cause?: unknown; pgCode?: string; details?: string; hint?: string } = {},
  ) {
    super(message, code, options);
    this.name = "BasekitApiError";
    this.pgCode = options.pgCode;
    this.details = options.details;
    this.hint = options.hint;
  }
}

/** The server could not be reached (offline, DNS, CORS, connection refused). */
export class BasekitNetworkError extends BasekitError {
  constructor(message: string, cause?: unknown) {
    super(message, "network_error", { cause });
    this.name = "BasekitNetworkError";
  }
}

/** A realtime channel failed to subscribe, timed out or closed with an error. */
export class BasekitRealtimeError extends BasekitError {
  constructor(message: string, cause?: unknown) {
    super(message, "realtime_error", { cause });
    this.name = "BasekitRealtimeError";
  }
}

export function isBasekitError(value: unknown): value is BasekitError {
  return value instanceof BasekitError;
}
