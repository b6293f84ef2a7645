// The admin users API (service_role): list with pagination, create, get, update, delete, and
// the factors of a user.
import { randomBytes } from "node:crypto";
import { json } from "../../gateway/types.ts";
import { writeAudit } from "../audit-log.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "../auth-context.ts";
import { requireAdmin } from "../authenticate.ts";
import { AuthError, notFound, unprocessable, validationFailed } from "../errors.ts";
import { deleteFactor } from "../mfa-factors.ts";
import { assertStrongPassword, hashPassword } from "../passwords.ts";
import { optionalBoolean, optionalObject, optionalString, validEmail, validPhone } from "../request-body.ts";
import { parseGoDuration } from "../settings.ts";
import { factorJson, type UserRecord, userJson } from "../user-json.ts";
import { findUserByEmail, findUserById, insertUser, mergeMetadata, selectUsers, UUID_PATTERN, updateUserColumns } from "../user-store.ts";

const userNotFound = () => notFound("user_not_found", "User not found");

async function targetUser(ctx: AuthContext, id: string): Promise<UserRecord> {
  if (!UUID_PATTERN.test(id)) throw notFound("validation_failed", "user_id must be an UUID");
  const user = await findUserById(ctx.sql, id);
  if (!user) throw userNotFound();
  return user;
}

function bannedUntil(value: string): Date | null {
  if (value === "none") return null;
  let seconds: number;
  try {
    seconds = parseGoDuration(value);
  } catch {
    throw validationFailed("invalid format for ban duration: time: invalid duration");
  }
  return new Date(Date.now() + seconds * 1000);
}

/** A stored hash given as-is must be bcrypt, as GoTrue accepts it. */
function checkedPasswordHash(value: string): string {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(value)) throw validationFailed("Invalid password hash format");
  return value;
}

/**
 * `page` / `per_page` as GoTrue reads them (strconv.ParseUint, base 10): absent or empty gives the
 * default; signs, decimals, letters or more than 64 bits are a 400 naming the parse error.
 */
function pageParameter(value: string | null, fallback: number): number {
  if (!value) return fallback;
  const quoted = JSON.stringify(value);
  if (!/^\d+$/.test(value)) throw validationFailed(`Bad Pagination Parameters: strconv.ParseUint: parsing ${quoted}: invalid syntax`);
  const parsed = BigInt(value);
  if (parsed > 18446744073709551615n)
    throw validationFailed(`Bad Pagination Parameters: strconv.ParseUint: parsing ${quoted}: value out of range`);
  return Number(parsed);
}

export const listUsers: AuthHandler = async (ctx, request) => {
  await requireAdmin(ctx, request);
  const page = Math.max(1, pageParameter(request.query.get("page"), 1));
  const perPage = Math.min(1000, Math.max(1, pageParameter(request.query.get("per_page"), 50)));
  // The offset must stay an exact integer for Postgres' bigint, or the query fails with a 500.
  if ((page - 1) * perPage > Number.MAX_SAFE_INTEGER) throw validationFailed("page is too large");
  const filter = request.query.get("filter")?.trim();
  const { sql } = ctx;
  const where = filter ? sql`(u.email ilike ${`%${filter}%`} or u.raw_user_meta_data->>'full_name' ilike ${`%${filter}%`})` : sql`true`;
  const [{ count }] = await sql<{ count: string }[]>`select count(*) from auth.users u where ${where}`;
  const users = (await selectUsers(
    sql,
    where,
    sql`order by u.created_at desc, u.id limit ${perPage} offset ${(page - 1) * perPage}`,
  )) as unknown as UserRecord[];
  const total = Number(count);
  const last = Math.max(1, Math.ceil(total / perPage));
  const links: string[] = [];
  if (page < last) links.push(`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`);
  links.push(`</admin/users?page=${last}&per_page=${perPage}>; rel="last"`);
  return json(200, { users: users.map(userJson), aud: "authenticated" }, { "x-total-count": String(total), link: links.join(", ") });
};

export const getAdminUser: AuthHandler = async (ctx, request, params) => {
  await requireAdmin(ctx, request);
  return json(200, userJson(await targetUser(ctx, params.id)));
};

interface AdminUserFields {
  email?: string;
  phone?: string;
  encryptedPassword?: string;
  emailConfirm?: boolean;
  phoneConfirm?: boolean;
  userMetadata?: Record<string, unknown>;
  appMetadata?: Record<string, unknown>;
  role?: string;
  bannedUntil?: Date | null;
}

async function readAdminFields(ctx: AuthContext, request: AuthRequest): Promise<AdminUserFields & { id?: string }> {
  const body = await request.body();
  const email = optionalString(body, "email");
  const phone = optionalString(body, "phone");
  const password = optionalString(body, "password");
  const passwordHash = optionalString(body, "password_hash");
  const ban = optionalString(body, "ban_duration");
  const id = optionalString(body, "id");
  if (id !== undefined && !UUID_PATTERN.test(id)) throw validationFailed("id must be a UUID");
  if (password !== undefined) assertStrongPassword(password, ctx.settings);
  return {
    id,
    email: email ? validEmail(email) : undefined,
    phone: phone ? validPhone(phone) : undefined,
    encryptedPassword:
      passwordHash !== undefined ? checkedPasswordHash(passwordHash) : password !== undefined ? await hashPassword(password) : undefined,
    emailConfirm: optionalBoolean(body, "email_confirm"),
    phoneConfirm: optionalBoolean(body, "phone_confirm"),
    userMetadata: optionalObject(body, "user_metadata") ?? optionalObject(body, "data"),
    appMetadata: optionalObject(body, "app_metadata"),
    role: optionalString(body, "role"),
    bannedUntil: ban !== undefined ? bannedUntil(ban) : undefined,
  };
}

export const createAdminUser: AuthHandler = async (ctx, request) => {
  await requireAdmin(ctx, request);
  const fields = await readAdminFields(ctx, request);
  if (!fields.email && !fields.phone) throw validationFailed("Cannot create a user without either an email or phone");
  if (fields.email && (await findUserByEmail(ctx.sql, fields.email)))
    throw unprocessable("email_exists", "A user with this email address has already been registered");
  if (fields.phone && (await ctx.sql`select 1 from auth.users where phone = ${fields.phone}`).length)
    throw unprocessable("phone_exists", "A user with this phone number has already been registered");
  if (fields.id && (await findUserById(ctx.sql, fields.id))) throw unprocessable("user_already_exists", "User already registered");
  const now = new Date();
  let user = await insertUser(ctx.sql, {
    id: fields.id,
    email: fields.email,
    phone: fields.phone,
    encryptedPassword: fields.encryptedPassword ?? (await hashPassword(randomBytes(24).toString("base64url"))),
    userMetadata: fields.userMetadata,
    appMetadata: fields.appMetadata,
    role: fields.role,
    provider: fields.email ? "email" : "phone",
    emailConfirmedAt: fields.emailConfirm ? now : null,
    phoneConfirmedAt: fields.phoneConfirm ? now : null,
  });
  if (fields.bannedUntil) {
    await updateUserColumns(ctx.sql, user.id, { banned_until: fields.bannedUntil });
    user = (await findUserById(ctx.sql, user.id)) ?? user;
  }
  await writeAudit(ctx.sql, "user_signedup", user, request.client.ip, { provider: user.email ? "email" : "phone", via: "admin" });
  return json(200, userJson(user));
};

export const updateAdminUser: AuthHandler = async (ctx, request, params) => {
  await requireAdmin(ctx, request);
  const user = await targetUser(ctx, params.id);
  const fields = await readAdminFields(ctx, request);
  const columns: Record<string, unknown> = {};
  if (fields.email && fields.email !== user.email) {
    const owner = await findUserByEmail(ctx.sql, fields.email);
    if (owner && owner.id !== user.id) throw unprocessable("email_exists", "A user with this email address has already been registered");
    columns.email = fields.email;
  }
  if (fields.phone && fields.phone !== user.phone) columns.phone = fields.phone;
  if (fields.encryptedPassword) columns.encrypted_password = fields.encryptedPassword;
  if (fields.emailConfirm) columns.email_confirmed_at = user.email_confirmed_at ?? new Date();
  if (fields.phoneConfirm) columns.phone_confirmed_at = user.phone_confirmed_at ?? new Date();
  if (fields.userMetadata) columns.raw_user_meta_data = mergeMetadata(user.raw_user_meta_data, fields.userMetadata);
  if (fields.appMetadata) columns.raw_app_meta_data = mergeMetadata(user.raw_app_meta_data, fields.appMetadata);
  if (fields.role) columns.role = fields.role;
  if (fields.bannedUntil !== undefined) columns.banned_until = fields.bannedUntil;
  if (Object.keys(columns).length) await updateUserColumns(ctx.sql, user.id, columns);
  if (columns.email)
    await ctx.sql`update auth.identities set identity_data = identity_data || ${ctx.sql.json({ email: columns.email as string })}, updated_at = now()
      where user_id = ${user.id} and provider = 'email'`;
  if (fields.bannedUntil) await ctx.sql`delete from auth.sessions where user_id = ${user.id}`;
  await writeAudit(ctx.sql, "user_modified", user, request.client.ip, { via: "admin" });
  return json(200, userJson((await findUserById(ctx.sql, user.id)) ?? user));
};

export const deleteAdminUser: AuthHandler = async (ctx, request, params) => {
  await requireAdmin(ctx, request);
  const user = await targetUser(ctx, params.id);
  const body = await request.body();
  if (optionalBoolean(body, "should_soft_delete")) {
    await ctx.sql.begin(async (tx) => {
      await tx`delete from auth.mfa_factors where user_id = ${user.id}`;
      await tx`delete from auth.sessions where user_id = ${user.id}`;
      await tx`delete from auth.identities where user_id = ${user.id}`;
      // GoTrue frees the email and phone of a soft-deleted user for new sign-ups.
      await tx`update auth.users set deleted_at = now(), updated_at = now(), email = null, phone = null,
        raw_app_meta_data = '{}'::jsonb, raw_user_meta_data = '{}'::jsonb, encrypted_password = '' where id = ${user.id}`;
    });
  } else await ctx.sql`delete from auth.users where id = ${user.id}`;
  await writeAudit(ctx.sql, "user_deleted", user, request.client.ip, { via: "admin" });
  return json(200, {});
};

export const listAdminFactors: AuthHandler = async (ctx, request, params) => {
  await requireAdmin(ctx, request);
  const user = await targetUser(ctx, params.id);
  return json(200, user.factors.map(factorJson));
};

export const deleteAdminFactor: AuthHandler = async (ctx, request, params) => {
  await requireAdmin(ctx, request);
  const user = await targetUser(ctx, params.id);
  const factor = user.factors.find((f) => f.id === params.factorId);
  if (!factor) throw new AuthError(404, "mfa_factor_not_found", "Factor not found");
  await deleteFactor(ctx.sql, factor.id);
  return json(200, factorJson(factor));
};
