// queryOptions factories for the account: profile, settings, sessions, MFA factors, activity.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { BasekitClient } from "../client.ts";
import { unwrap } from "../lib/result.ts";
import { basekitKeys } from "./query-keys.ts";

export const myProfileQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.myProfile(), queryFn: async () => unwrap(await client.profiles.getMine()) });

export const profileQueryOptions = (client: BasekitClient, id: string) =>
  queryOptions({ queryKey: basekitKeys.profile(id), queryFn: async () => unwrap(await client.profiles.get(id)) });

export const profileSearchQueryOptions = (client: BasekitClient, query: string) =>
  queryOptions({
    queryKey: basekitKeys.profileSearch(query),
    queryFn: async () => unwrap(await client.profiles.search({ query })),
    enabled: query.trim().length > 0,
  });

export const settingsQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.settings(), queryFn: async () => unwrap(await client.settings.get()) });

export const sessionsQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.sessions(), queryFn: async () => unwrap(await client.settings.listSessions()) });

export const mfaFactorsQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.mfaFactors(), queryFn: async () => unwrap(await client.auth.mfa.listFactors()) });

export const activityInfiniteQueryOptions = (client: BasekitClient, limit = 20) =>
  infiniteQueryOptions({
    queryKey: basekitKeys.activity(),
    queryFn: async ({ pageParam }) => unwrap(await client.activity.list({ limit, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const adminUsersInfiniteQueryOptions = (client: BasekitClient, limit = 25) =>
  infiniteQueryOptions({
    queryKey: basekitKeys.adminUsers(),
    queryFn: async ({ pageParam }) => unwrap(await client.admin.listUsers({ limit, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const adminActivityInfiniteQueryOptions = (client: BasekitClient, userId?: string, limit = 25) =>
  infiniteQueryOptions({
    queryKey: basekitKeys.adminActivity(userId),
    queryFn: async ({ pageParam }) => unwrap(await client.admin.listActivity({ limit, cursor: pageParam, userId })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });
