// Live notifications: the database broadcasts every new or changed notification to its owner on
// the private channel user:<id> (event "notifications"), which the chat inbox shares.
import { type LiveSubscription, listenToPrivateTopic } from "../chat/private-topic.ts";
import type { BasekitRealtimeError } from "../lib/errors.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import type { Notification } from "./notifications.ts";

export interface NotificationHandlers {
  /** A new notification arrived. */
  onNotification?(notification: Notification): void;
  /** A notification was marked read/unread or archived (here or on another device). */
  onNotificationChanged?(notification: Notification): void;
  onError?(error: BasekitRealtimeError): void;
}

export function subscribeToNotifications(
  supabase: BasekitSupabaseClient,
  userId: string,
  handlers: NotificationHandlers,
): LiveSubscription {
  return listenToPrivateTopic(supabase, `user:${userId}`, {
    onChange(change) {
      if (change.table !== "notifications" || !change.record) return;
      const notification = change.record as unknown as Notification;
      if (change.operation === "INSERT") handlers.onNotification?.(notification);
      else if (change.operation === "UPDATE") handlers.onNotificationChanged?.(notification);
    },
    onError: handlers.onError,
  });
}
