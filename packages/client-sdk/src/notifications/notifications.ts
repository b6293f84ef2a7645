// In-app notifications (the bell): newest-first pages by cursor, unread count, read/unread,
// archive, and live changes; preferences and push subscriptions live in their own modules.
import { z } from "zod";
import type { Tables } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import { invokeFunction } from "../lib/invoke-function.ts";
import { type Page, toPage } from "../lib/page.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import { subscribeToNotifications } from "./live.ts";
import {
  type ArchiveNotificationsInput,
  archiveNotificationsInput,
  type ListNotificationsInput,
  listNotificationsInput,
  type MarkNotificationsReadInput,
  markNotificationsReadInput,
  notificationId,
} from "./notification-schemas.ts";
import { createNotificationPreferencesApi } from "./preferences.ts";
import { createPushApi } from "./push.ts";

export type Notification = Tables<"notifications">;

export function createNotificationsApi(supabase: BasekitSupabaseClient) {
  /** Sets or clears a timestamp column; RLS limits it to the caller's rows, so ids of others are not returned. */
  const stamp = async (column: "read_at" | "archived_at", ids: number[], on: boolean): Promise<BasekitResult<number[]>> => {
    const value = on ? new Date().toISOString() : null;
    const changed = fromResponse(
      await supabase
        .from("notifications")
        .update(column === "read_at" ? { read_at: value } : { archived_at: value })
        .in("id", ids)
        .select("id"),
    );
    return changed.error ? changed : ok(changed.data.map((row) => row.id));
  };

  return {
    /** A page of the caller's notifications, newest first; pass `nextCursor` back as `cursor` for older ones. */
    list: (input: ListNotificationsInput = {}): Promise<BasekitResult<Page<Notification>>> =>
      guard(async () => {
        const valid = validate(listNotificationsInput, input);
        if (valid.error) return valid;
        const { filter, limit, cursor } = valid.data;
        let query = supabase.from("notifications").select("*");
        query = filter === "archived" ? query.not("archived_at", "is", null) : query.is("archived_at", null);
        if (filter === "unread") query = query.is("read_at", null);
        if (cursor) query = query.lt("id", Number(cursor));
        const rows = fromResponse(await query.order("id", { ascending: false }).limit(limit + 1));
        if (rows.error) return rows;
        return ok(toPage(rows.data, limit, (row) => String(row.id)));
      }),

    /** How many notifications are unread and not archived (what the bell shows). */
    unreadCount: (): Promise<BasekitResult<number>> =>
      guard(async () => {
        const response = await supabase
          .from("notifications")
          .select("id", { count: "exact", head: true })
          .is("read_at", null)
          .is("archived_at", null);
        const counted = fromResponse(response);
        return counted.error ? counted : ok(response.count ?? 0);
      }),

    /** Marks notifications read (or unread with `read: false`); returns the ids changed. */
    markRead: (input: MarkNotificationsReadInput): Promise<BasekitResult<number[]>> =>
      guard(async () => {
        const valid = validate(markNotificationsReadInput, input);
        return valid.error ? valid : stamp("read_at", valid.data.ids, valid.data.read);
      }),

    /** Marks every unread notification read; returns how many. */
    markAllRead: (): Promise<BasekitResult<number>> =>
      guard(async () => {
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return fromResponse(await supabase.rpc("mark_all_notifications_read"));
      }),

    /** Archives notifications (or brings them back with `archived: false`); returns the ids changed. */
    archive: (input: ArchiveNotificationsInput): Promise<BasekitResult<number[]>> =>
      guard(async () => {
        const valid = validate(archiveNotificationsInput, input);
        return valid.error ? valid : stamp("archived_at", valid.data.ids, valid.data.archived);
      }),

    /** One notification, or a not_found error. */
    get: (id: number): Promise<BasekitResult<Notification>> =>
      guard(async () => {
        const valid = validate(notificationId, id);
        if (valid.error) return valid;
        return fromResponse(await supabase.from("notifications").select("*").eq("id", valid.data).single());
      }),

    /** Follows the caller's notifications live (new ones, read/archive changes) on their private channel. */
    subscribe: (userId: string, handlers: Parameters<typeof subscribeToNotifications>[2]) => {
      const valid = validate(z.uuid(), userId);
      if (valid.error) return { ready: Promise.resolve(valid), unsubscribe: async () => {} };
      return subscribeToNotifications(supabase, valid.data, handlers);
    },

    /** One-click unsubscribe from an email's link (no sign-in): email off for the token's category. */
    unsubscribeEmail: (token: string): Promise<BasekitResult<{ unsubscribed: string; types: string[] }>> =>
      guard(async () => {
        const valid = validate(z.string().min(1, "The link has no token").max(1024), token);
        if (valid.error) return valid;
        return invokeFunction(supabase, "notification-unsubscribe", { method: "POST", query: { token: valid.data } });
      }),

    preferences: createNotificationPreferencesApi(supabase),
    push: createPushApi(supabase),
  };
}
