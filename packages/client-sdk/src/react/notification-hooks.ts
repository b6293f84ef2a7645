// Notification hooks: the bell's live unread count, the list, read/archive, preferences, settings
// and push opt-in; mutations write the server's answer back into the cache.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { unwrap } from "../lib/result.ts";
import type {
  ArchiveNotificationsInput,
  MarkNotificationsReadInput,
  PreferenceInput,
  QuietHoursInput,
} from "../notifications/notification-schemas.ts";
import type { NotificationPreference } from "../notifications/preferences.ts";
import type { PushManagerLike } from "../notifications/push.ts";
import {
  type NotificationFilter,
  notificationPreferencesQueryOptions,
  notificationSettingsQueryOptions,
  notificationsInfiniteQueryOptions,
  notificationTypesQueryOptions,
  pushDevicesQueryOptions,
  unreadNotificationCountQueryOptions,
} from "./notification-queries.ts";
import { useBasekit } from "./provider.ts";
import { basekitKeys } from "./query-keys.ts";

export const useNotifications = (filter: NotificationFilter = "inbox") =>
  useInfiniteQuery(notificationsInfiniteQueryOptions(useBasekit(), filter));
export const useUnreadNotificationCount = () => useQuery(unreadNotificationCountQueryOptions(useBasekit()));
export const useNotificationTypes = () => useQuery(notificationTypesQueryOptions(useBasekit()));
export const useNotificationPreferences = () => useQuery(notificationPreferencesQueryOptions(useBasekit()));
export const useNotificationSettings = () => useQuery(notificationSettingsQueryOptions(useBasekit()));
export const usePushDevices = () => useQuery(pushDevicesQueryOptions(useBasekit()));

/** Keeps the unread count and the lists current while mounted (new notifications, changes made elsewhere). */
export function useNotificationsLive(userId: string | undefined) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!userId) return;
    const refresh = () => {
      queryClient.invalidateQueries({ queryKey: basekitKeys.unreadNotifications() });
      queryClient.invalidateQueries({ queryKey: [...basekitKeys.notifications(), "list"] });
    };
    const subscription = client.notifications.subscribe(userId, {
      onNotification: (notification) => {
        // The bell lights at once; the refetch then confirms the count.
        if (!notification.read_at && !notification.archived_at)
          queryClient.setQueryData<number>(basekitKeys.unreadNotifications(), (count) => (count ?? 0) + 1);
        refresh();
      },
      onNotificationChanged: refresh,
    });
    // Whatever arrived between the first fetch and the subscription: fetch it once now.
    subscription.ready.then((result) => {
      if (!result.error) refresh();
    });
    return () => void subscription.unsubscribe();
  }, [client, queryClient, userId]);
}

function useNotificationChange<Input>(change: (input: Input) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSettled: () => queryClient.invalidateQueries({ queryKey: basekitKeys.notifications() }),
  });
}

export function useMarkNotificationsRead() {
  const client = useBasekit();
  return useNotificationChange(async (input: MarkNotificationsReadInput) => unwrap(await client.notifications.markRead(input)));
}

export function useMarkAllNotificationsRead() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await client.notifications.markAllRead()),
    onSettled: () => queryClient.invalidateQueries({ queryKey: basekitKeys.notifications() }),
  });
}

export function useArchiveNotifications() {
  const client = useBasekit();
  return useNotificationChange(async (input: ArchiveNotificationsInput) => unwrap(await client.notifications.archive(input)));
}

export function useSetNotificationPreference() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: PreferenceInput) => unwrap(await client.notifications.preferences.set(input)),
    onSuccess: (saved) =>
      queryClient.setQueryData<NotificationPreference[]>(basekitKeys.notificationPreferences(), (rows = []) => [
        ...rows.filter((row) => row.type !== saved.type || row.channel !== saved.channel),
        saved,
      ]),
  });
}

export function useSetQuietHours() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (hours: QuietHoursInput) => unwrap(await client.notifications.preferences.setQuietHours(hours)),
    onSuccess: (settings) => queryClient.setQueryData(basekitKeys.notificationSettings(), settings),
  });
}

export function useSetDigestSeconds() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (seconds: number) => unwrap(await client.notifications.preferences.setDigestSeconds(seconds)),
    onSuccess: (settings) => queryClient.setQueryData(basekitKeys.notificationSettings(), settings),
  });
}

/** Push opt-in with a PushManager (the service worker registration's, or `localPushReceiver` in development). */
export function usePushSubscribe() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ pushManager, userAgent }: { pushManager: PushManagerLike; userAgent?: string }) =>
      unwrap(await client.notifications.push.subscribe(pushManager, userAgent)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: basekitKeys.pushDevices() }),
  });
}

export function usePushUnsubscribe() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (endpoint: string) => unwrap(await client.notifications.push.unsubscribe(endpoint)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: basekitKeys.pushDevices() }),
  });
}
