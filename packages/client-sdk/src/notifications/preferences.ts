// Notification preferences: the catalogue of types, on/off per type and channel (no row = on),
// quiet hours (local time in the profile's time zone) and the email digest window.
import type { Tables } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import { digestInput, type PreferenceInput, preferenceInput, type QuietHoursInput, quietHoursInput } from "./notification-schemas.ts";

export type NotificationType = Tables<"notification_types">;
export type NotificationPreference = Tables<"notification_preferences">;
export type NotificationSettings = Pick<Tables<"notification_settings">, "quiet_hours_start" | "quiet_hours_end" | "email_digest_seconds">;

/** What a user without a settings row gets (the table's defaults). */
export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  quiet_hours_start: null,
  quiet_hours_end: null,
  email_digest_seconds: 300,
};

const SETTINGS_COLUMNS = "quiet_hours_start, quiet_hours_end, email_digest_seconds";

/** Updates the caller's row, or inserts it when there is none. Not a PostgREST upsert: that sets
 * the key columns on conflict too, and only the value columns may be updated. */
async function updateElseInsert<T>(
  update: () => Promise<BasekitResult<T[]>>,
  insert: () => Promise<BasekitResult<T>>,
): Promise<BasekitResult<T>> {
  const updated = await update();
  if (updated.error) return updated;
  if (updated.data.length > 0) return ok(updated.data[0]);
  const inserted = await insert();
  if (inserted.error?.code !== "conflict") return inserted;
  // Another tab inserted first: update that row instead.
  const again = await update();
  if (again.error) return again;
  return again.data.length > 0 ? ok(again.data[0]) : inserted;
}

export function createNotificationPreferencesApi(supabase: BasekitSupabaseClient) {
  async function saveSettings(patch: Partial<NotificationSettings>): Promise<BasekitResult<NotificationSettings>> {
    const me = await currentUserId(supabase);
    if (me.error) return me;
    const table = () => supabase.from("notification_settings");
    return updateElseInsert<NotificationSettings>(
      async () => fromResponse(await table().update(patch).eq("user_id", me.data).select(SETTINGS_COLUMNS)),
      async () =>
        fromResponse(
          await table()
            .insert({ user_id: me.data, ...patch })
            .select(SETTINGS_COLUMNS)
            .single(),
        ) as BasekitResult<NotificationSettings>,
    );
  }

  return {
    /** Every notification type, its category and channels, and whether it can be turned off. */
    types: (): Promise<BasekitResult<NotificationType[]>> =>
      guard(async () => fromResponse(await supabase.from("notification_types").select("*").order("category").order("type"))),

    /** The caller's explicit choices; a (type, channel) without a row is on. */
    list: (): Promise<BasekitResult<NotificationPreference[]>> =>
      guard(async () => fromResponse(await supabase.from("notification_preferences").select("*").order("type").order("channel"))),

    /** Turns one type on or off on one channel (mandatory types cannot be turned off: permission_denied). */
    set: (input: PreferenceInput): Promise<BasekitResult<NotificationPreference>> =>
      guard(async () => {
        const valid = validate(preferenceInput, input);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        const { type, channel, enabled } = valid.data;
        const table = () => supabase.from("notification_preferences");
        return updateElseInsert<NotificationPreference>(
          async () =>
            fromResponse(await table().update({ enabled }).eq("user_id", me.data).eq("type", type).eq("channel", channel).select("*")),
          async () =>
            fromResponse(
              await table().insert({ user_id: me.data, type, channel, enabled }).select("*").single(),
            ) as BasekitResult<NotificationPreference>,
        );
      }),

    /** Quiet hours and digest window (the defaults when never set). */
    settings: (): Promise<BasekitResult<NotificationSettings>> =>
      guard(async () => {
        const row = fromResponse(await supabase.from("notification_settings").select(SETTINGS_COLUMNS).maybeSingle());
        if (row.error) return row;
        return ok(row.data ?? DEFAULT_NOTIFICATION_SETTINGS);
      }),

    /** Sets quiet hours ("22:00" to "07:00" may wrap midnight) or clears them with null. */
    setQuietHours: (hours: QuietHoursInput): Promise<BasekitResult<NotificationSettings>> =>
      guard(async () => {
        const valid = validate(quietHoursInput, hours);
        if (valid.error) return valid;
        return saveSettings({ quiet_hours_start: valid.data?.start ?? null, quiet_hours_end: valid.data?.end ?? null });
      }),

    /** How long new-message emails wait to fold a burst from one room into one email (0: at once). */
    setDigestSeconds: (seconds: number): Promise<BasekitResult<NotificationSettings>> =>
      guard(async () => {
        const valid = validate(digestInput, seconds);
        if (valid.error) return valid;
        return saveSettings({ email_digest_seconds: valid.data });
      }),
  };
}
