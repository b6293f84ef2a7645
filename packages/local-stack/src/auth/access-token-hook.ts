// The custom access token hook (`[auth.hook.custom_access_token]`) as a Postgres function, as
// GoTrue runs it: `select "schema"."fn"(input)` as supabase_auth_admin in a transaction with a 2 s
// statement_timeout; the output's claims, checked against GoTrue's minimum schema, become the
// token's claims (re-serialised with sorted keys, as Go's map encoding does); an `{error}` output
// answers its http_code and message.
import { randomUUID } from "node:crypto";
import type { Sql } from "../db/connect.ts";
import { AuthError } from "./errors.ts";

const HOOK_TIMEOUT_MS = 2000;

/** `pg-functions://postgres/<schema>/<function>` as GoTrue names it: `"schema"."function"`. */
export function pgHookName(uri: string): string | undefined {
  const match = /^pg-functions:\/\/[^/]+\/([^/]+)\/([^/]+)$/.exec(uri);
  if (!match) return undefined;
  return match
    .slice(1, 3)
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
}

/** A hook's own error: GoTrue passes its status and message on with no error code of its own. */
export class HookError extends AuthError {
  constructor(status: number, message: string) {
    super(status, status === 500 ? "unexpected_failure" : "unknown", message, {}, false);
  }
}

const internal = (message: string) => new HookError(500, message);

type JsonType = "string" | "integer" | "array" | "object";
/** GoTrue's MinimumViableTokenSchema: property types, then the required claims. */
const CLAIM_TYPES: [string, JsonType[]][] = [
  ["aud", ["string", "array"]],
  ["exp", ["integer"]],
  ["jti", ["string"]],
  ["iat", ["integer"]],
  ["iss", ["string"]],
  ["nbf", ["integer"]],
  ["sub", ["string"]],
  ["email", ["string"]],
  ["phone", ["string"]],
  ["app_metadata", ["object"]],
  ["user_metadata", ["object"]],
  ["role", ["string"]],
  ["aal", ["string"]],
  ["amr", ["array"]],
  ["session_id", ["string"]],
  ["client_id", ["string"]],
];
const REQUIRED = ["aud", "exp", "iat", "sub", "email", "phone", "role", "aal", "session_id", "is_anonymous"];

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The schema's complaints, worded as gojsonschema words them. */
export function claimsSchemaErrors(claims: Record<string, unknown>): string[] {
  const errors: string[] = [];
  for (const key of REQUIRED) if (!(key in claims)) errors.push(`(root): ${key} is required`);
  for (const [key, types] of CLAIM_TYPES) {
    if (!(key in claims)) continue;
    const actual = jsonType(claims[key]);
    if (!types.includes(actual as JsonType)) errors.push(`${key}: Invalid type. Expected: ${types.join(", ")}, given: ${actual}`);
  }
  return errors;
}

/** Objects with their keys sorted at every depth: how Go writes a map[string]any. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortedKeys(record[key])]),
  );
}

function hookOutputError(output: unknown): HookError | undefined {
  if (output === null || typeof output !== "object") return undefined;
  const error = (output as { error?: unknown }).error;
  if (error === null || typeof error !== "object") return undefined;
  const { http_code: code, message } = error as { http_code?: unknown; message?: unknown };
  if (typeof message !== "string" || message === "") return undefined;
  return new HookError(typeof code === "number" && code !== 0 ? code : 500, message);
}

export interface AccessTokenHookInput {
  userId: string;
  claims: Record<string, unknown>;
  authenticationMethod: string;
  ipAddress: string;
}

/** Runs the hook and answers the claims to sign, or throws GoTrue's error for what it returned. */
export async function runAccessTokenHook(sql: Sql, hookName: string, input: AccessTokenHookInput): Promise<Record<string, unknown>> {
  const payload = {
    metadata: { uuid: randomUUID(), time: new Date().toISOString(), name: "customize-access-token", ip_address: input.ipAddress },
    user_id: input.userId,
    claims: input.claims,
    authentication_method: input.authenticationMethod,
  };
  let output: unknown;
  try {
    output = await sql.begin(async (tx) => {
      await tx.unsafe(`set local statement_timeout to '${HOOK_TIMEOUT_MS}'`);
      const [row] = await tx.unsafe<{ output: unknown }[]>(`select ${hookName}($1::jsonb) as output`, [payload as never]);
      return row?.output;
    });
  } catch {
    // The function failed (raised, timed out, missing, not granted): GoTrue's wording for any
    // failure that is not the hook's own error.
    throw internal("error generating jwt token");
  }
  const failure = hookOutputError(output);
  if (failure) throw failure;
  if (output === null || typeof output !== "object" || !("claims" in output)) throw internal("output claims field is missing");
  const claims = (output as { claims: unknown }).claims;
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) throw internal("Error unmarshaling JSON output.");
  const problems = claimsSchemaErrors(claims as Record<string, unknown>);
  if (problems.length > 0)
    throw internal(`output claims do not conform to the expected schema: \n${problems.map((p) => `- ${p}\n`).join("")}`);
  return sortedKeys(claims) as Record<string, unknown>;
}
