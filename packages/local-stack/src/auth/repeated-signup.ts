// What a sign-up for an address that already has an account answers. Anyone may sign up with
// any address, so the answer is built from the request alone and says nothing about the account
// behind it: not its metadata, role, phone, pending email change, factors or history.
import { randomUUID } from "node:crypto";
import { type UserRecord, userJson } from "./user-json.ts";

function requestOnlyUser(id: string, email: string, data: Record<string, unknown>, role: string): UserRecord {
  const now = new Date();
  return {
    id,
    aud: "authenticated",
    role,
    email,
    phone: null,
    encrypted_password: null,
    email_confirmed_at: null,
    phone_confirmed_at: null,
    confirmed_at: null,
    invited_at: null,
    confirmation_token: null,
    confirmation_sent_at: now,
    recovery_token: null,
    recovery_sent_at: null,
    email_change: null,
    email_change_token_new: null,
    email_change_token_current: null,
    email_change_sent_at: null,
    email_change_confirm_status: null,
    phone_change: null,
    reauthentication_token: null,
    reauthentication_sent_at: null,
    last_sign_in_at: null,
    raw_app_meta_data: { provider: "email", providers: ["email"] },
    raw_user_meta_data: data,
    banned_until: null,
    deleted_at: null,
    is_anonymous: false,
    is_sso_user: false,
    created_at: now,
    updated_at: now,
    identities: [],
    factors: [],
  };
}

/**
 * A confirmed address signed up again with confirmations on: GoTrue's obfuscated user
 * (`sanitizeUser`) - a random id, no role, no identities - shaped like a fresh sign-up's answer.
 */
export const madeUpUser = (email: string, data: Record<string, unknown>) => userJson(requestOnlyUser(randomUUID(), email, data, ""));

/**
 * An address still waiting for confirmation signed up again: the confirmation mail goes out once
 * more (the account itself is left as it was: the caller has not proven the address is theirs)
 * and, as from GoTrue, the answer keeps the account's id and email identity - every other field
 * comes from the request, as for a fresh sign-up.
 */
export function unconfirmedUser(user: UserRecord, email: string, data: Record<string, unknown>): Record<string, unknown> {
  // An invitee's answer carries no metadata and no identity, as GoTrue strips them.
  const invited = user.invited_at != null;
  const view = requestOnlyUser(user.id, email, invited ? {} : data, "authenticated");
  const identity = user.identities.find((i) => i.provider === "email");
  if (identity && !invited)
    view.identities = [
      { ...identity, identity_data: { sub: user.id, email, email_verified: false, phone_verified: false }, last_sign_in_at: null },
    ];
  view.created_at = user.created_at;
  return userJson(view);
}
