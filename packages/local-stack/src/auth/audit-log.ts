// auth.audit_log_entries rows in GoTrue's payload shape ({actor_id, actor_username, action,
// log_type, traits}), so the dashboard's and users' own audit queries read the same here.
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { Sql } from "../db/connect.ts";
import { ZERO_UUID } from "./user-store.ts";

export type AuditAction =
  | "login"
  | "logout"
  | "user_signedup"
  | "user_repeated_signup"
  | "user_confirmation_requested"
  | "user_recovery_requested"
  | "user_reauthenticate_requested"
  | "user_updated_password"
  | "user_modified"
  | "user_deleted"
  | "user_invited"
  | "token_refreshed"
  | "token_revoked"
  | "factor_in_progress"
  | "verification_attempted"
  | "mfa_code_login"
  | "factor_unenrolled";

const logTypes: Partial<Record<AuditAction, string>> = {
  login: "account",
  logout: "account",
  user_signedup: "team",
  user_invited: "team",
  user_deleted: "team",
  token_refreshed: "token",
  token_revoked: "token",
};

export interface AuditActor {
  id: string;
  email?: string | null;
  phone?: string | null;
}

export async function writeAudit(
  sql: Sql,
  action: AuditAction,
  actor: AuditActor,
  ip: string | null,
  traits: Record<string, unknown> = {},
): Promise<void> {
  const payload = {
    actor_id: actor.id,
    actor_username: actor.email || actor.phone || "",
    actor_via_sso: false,
    action,
    log_type: logTypes[action] ?? "user",
    ...(Object.keys(traits).length ? { traits } : {}),
  };
  await sql`
    insert into auth.audit_log_entries (instance_id, id, payload, created_at, ip_address)
    values (${ZERO_UUID}, ${randomUUID()}, ${sql.json(payload as postgres.JSONValue)}, now(), ${ip ?? ""})`;
}
