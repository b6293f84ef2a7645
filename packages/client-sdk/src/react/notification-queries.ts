// queryOptions factories for notifications: the list (infinite, newest first), the unread count,
// the type catalogue, preferences, settings and push devices.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { BasekitClient } from "../client.ts";
import type { Page } from "../lib/page.ts";
import { unwrap } from "../lib/result.ts";
import type { Notification } from "../notifications/notifications.ts";
import { basekitKeys } from "./query-keys.ts";

export type NotificationFilter = "inbox" | "unread" | "archived";

export const notificationsInfiniteQueryOptions = (client: BasekitClient, filter: NotificationFilter = "inbox", limit = 30) =>
  infiniteQueryOptions({
    queryKey: basekitKeys.notificationList(filter),
    queryFn: async ({ pageParam }): Promise<Page<Notification>> =>
      unwrap(await client.notifications.list({ filter, limit, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const unreadNotificationCountQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.unreadNotifications(), queryFn: async () => unwrap(await client.notifications.unreadCount()) });

export const notificationTypesQueryOptions = (client: BasekitClient) =>
  queryOptions({
    queryKey: basekitKeys.notificationTypes(),
    queryFn: async () => unwrap(await client.notifications.preferences.types()),
    staleTime: Number.POSITIVE_INFINITY,
  });

export const notificationPreferencesQueryOptions = (client: BasekitClient) =>
  queryOptions({
    queryKey: basekitKeys.notificationPreferences(),
    queryFn: async () => unwrap(await client.notifications.preferences.list()),
  });

export const notificationSettingsQueryOptions = (client: BasekitClient) =>
  queryOptions({
    queryKey: basekitKeys.notificationSettings(),
    queryFn: async () => unwrap(await client.notifications.preferences.settings()),
  });

export const pushDevicesQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.pushDevices(), queryFn: async () => unwrap(await client.notifications.push.devices()) });
