// Request bodies as GoTrue reads them: JSON objects only, at most 1 MB; typed field access that
// answers 400 validation_failed / bad_json rather than trusting the shape.
import { MAX_JSON_DEPTH, valueNestsDeeperThan } from "../gateway/json-depth.ts";
import { BodyTooLargeError, type GatewayRequest } from "../gateway/types.ts";
import { AuthError, badRequest, validationFailed } from "./errors.ts";

export const BODY_LIMIT = 1024 * 1024;

export async function readJsonBody(request: GatewayRequest): Promise<Record<string, unknown>> {
  let raw: Buffer;
  try {
    raw = await request.body(BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw new AuthError(413, "request_entity_too_large", "Request body too large");
    throw error;
  }
  const text = raw.toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badRequest("bad_json", `Could not parse request body as JSON: ${(error as Error).message}`);
  }
  if (valueNestsDeeperThan(parsed))
    throw badRequest("bad_json", `Could not parse request body as JSON: nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw badRequest("bad_json", "Could not parse request body as JSON: expected a JSON object");
  return parsed as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest("bad_json", `Could not parse request body as JSON: ${key} must be a string`);
  return value;
}

export function optionalObject(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value))
    throw badRequest("bad_json", `Could not parse request body as JSON: ${key} must be an object`);
  return value as Record<string, unknown>;
}

export function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest("bad_json", `Could not parse request body as JSON: ${key} must be a boolean`);
  return value;
}

// The HTML5 email grammar GoTrue checks against, plus its 255-character column limit.
const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** A lower-cased, validated email; 400 validation_failed for anything else. */
export function validEmail(value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > 255 || !EMAIL_PATTERN.test(email)) throw validationFailed(`Unable to validate email address: invalid format`);
  return email;
}

/** E.164 digits without "+", as GoTrue stores phones. */
export function validPhone(value: string): string {
  const phone = value.replace(/[\s()+-]/g, "");
  if (!/^[1-9]\d{7,14}$/.test(phone)) throw validationFailed("Invalid phone number format (E.164 required)");
  return phone;
}
