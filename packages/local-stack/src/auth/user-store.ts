// Reads and writes auth.users and auth.identities the way GoTrue does: emails lower-cased, token
// columns "" rather than NULL (GoTrue's Go code cannot read NULL there, so dumps stay portable),
// app_metadata {provider, providers}, one `email` identity per email user.
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { Sql } from "../db/connect.ts";
import type { UserRecord } from "./user-json.ts";

export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Fragment = postgres.PendingQuery<postgres.Row[]>;

/** The columns of a user with its identities and factors aggregated, for `from auth.users u`. */
export function userColumns(sql: Sql): Fragment {
  return sql`
    u.*,
    coalesce((select json_agg(json_build_object(
        'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
        'provider', i.provider, 'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at,
        'updated_at', i.updated_at, 'email', i.email) order by i.created_at)
      from auth.identities i where i.user_id = u.id), '[]') as identities,
    coalesce((select json_agg(json_build_object(
        'id', f.id, 'friendly_name', f.friendly_name, 'factor_type', f.factor_type, 'status', f.status,
        'created_at', f.created_at, 'updated_at', f.updated_at, 'phone', f.phone) order by f.created_at)
      from auth.mfa_factors f where f.user_id = u.id), '[]') as factors`;
}

/** Selects users with their identities and factors, aggregated, in one round trip. */
export function selectUsers(sql: Sql, where: Fragment, tail: Fragment = sql``): Fragment {
  return sql`select ${userColumns(sql)} from auth.users u where ${where} ${tail}`;
}

export async function findUserById(sql: Sql, id: string): Promise<UserRecord | undefined> {
  if (!UUID_PATTERN.test(id)) return undefined;
  const [user] = await selectUsers(sql, sql`u.id = ${id}`);
  return user as UserRecord | undefined;
}

export async function findUserByEmail(sql: Sql, email: string): Promise<UserRecord | undefined> {
  const [user] = await selectUsers(sql, sql`u.email = ${email.toLowerCase()} and u.is_sso_user = false`);
  return user as UserRecord | undefined;
}

export async function findUserByPhone(sql: Sql, phone: string): Promise<UserRecord | undefined> {
  const [user] = await selectUsers(sql, sql`u.phone = ${phone}`);
  return user as UserRecord | undefined;
}

export interface NewUser {
  id?: string;
  email?: string | null;
  phone?: string | null;
  encryptedPassword?: string | null;
  userMetadata?: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
  role?: string;
  isAnonymous?: boolean;
  emailConfirmedAt?: Date | null;
  phoneConfirmedAt?: Date | null;
  invitedAt?: Date | null;
  /** Providers for app_metadata and the identity; none for anonymous users. */
  provider?: "email" | "phone";
}

/** Inserts a user and its identity, then reads it back (triggers on auth.users may have changed it). */
export async function insertUser(sql: Sql, input: NewUser): Promise<UserRecord> {
  const id = input.id ?? randomUUID();
  const now = new Date();
  const appMetadata = input.provider
    ? { provider: input.provider, providers: [input.provider], ...input.appMetadata }
    : { ...input.appMetadata };
  await sql.begin(async (tx) => {
    await tx`
      insert into auth.users (
        instance_id, id, aud, role, email, phone, encrypted_password, email_confirmed_at, phone_confirmed_at, invited_at,
        raw_app_meta_data, raw_user_meta_data, is_anonymous, created_at, updated_at,
        confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,
        phone_change, phone_change_token, reauthentication_token, is_sso_user)
      values (
        ${ZERO_UUID}, ${id}, 'authenticated', ${input.role ?? "authenticated"}, ${input.email?.toLowerCase() ?? null}, ${input.phone ?? null},
        ${input.encryptedPassword ?? ""}, ${input.emailConfirmedAt ?? null}, ${input.phoneConfirmedAt ?? null}, ${input.invitedAt ?? null},
        ${tx.json(appMetadata as postgres.JSONValue)}, ${tx.json((input.userMetadata ?? {}) as postgres.JSONValue)}, ${input.isAnonymous ?? false},
        ${now}, ${now}, '', '', '', '', '', '', '', '', false)`;
    if (input.provider) {
      const identityData = identityDataFor(id, input);
      await tx`
        insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
        values (${randomUUID()}, ${id}, ${id}, ${tx.json(identityData as postgres.JSONValue)}, ${input.provider}, ${now}, ${now}, ${now})`;
    }
  });
  const user = await findUserById(sql, id);
  if (!user) throw new Error("user vanished after insert");
  return user;
}

function identityDataFor(id: string, input: NewUser): Record<string, unknown> {
  const data: Record<string, unknown> = { sub: id, email_verified: false, phone_verified: false };
  if (input.email) data.email = input.email.toLowerCase();
  if (input.phone) data.phone = input.phone;
  return { ...input.userMetadata, ...data };
}

/** Updates columns of auth.users (and updated_at). Values are column values (jsonb as objects). */
export async function updateUserColumns(sql: Sql, id: string, columns: Record<string, unknown>): Promise<void> {
  const values: Record<string, unknown> = { ...columns, updated_at: new Date() };
  for (const [key, value] of Object.entries(values))
    if (value && typeof value === "object" && !(value instanceof Date)) values[key] = sql.json(value as postgres.JSONValue);
  await sql`update auth.users set ${sql(values as Record<string, postgres.SerializableParameter>)} where id = ${id}`;
}

/** Marks the email identity verified, as GoTrue does when an email is confirmed. */
export async function markEmailIdentityVerified(sql: Sql, userId: string): Promise<void> {
  await sql`
    update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
    where user_id = ${userId} and provider = 'email'`;
}

/** Shallow-merges user metadata as GoTrue does: keys set to null are removed. */
export function mergeMetadata(current: Record<string, unknown> | null, update: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
