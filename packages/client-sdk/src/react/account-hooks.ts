// Hooks for the account pages: thin wrappers over the queryOptions factories, and mutations that
// write the server's answer back into the cache.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../lib/result.ts";
import type { ProfileUpdateInput } from "../profiles/profile-schemas.ts";
import type { SettingsUpdateInput } from "../settings/settings.ts";
import {
  activityInfiniteQueryOptions,
  mfaFactorsQueryOptions,
  myProfileQueryOptions,
  profileQueryOptions,
  sessionsQueryOptions,
  settingsQueryOptions,
} from "./account-queries.ts";
import { useBasekit } from "./provider.ts";
import { basekitKeys } from "./query-keys.ts";

export const useMyProfile = () => useQuery(myProfileQueryOptions(useBasekit()));
export const useProfile = (id: string) => useQuery(profileQueryOptions(useBasekit(), id));
export const useSettings = () => useQuery(settingsQueryOptions(useBasekit()));
export const useSessions = () => useQuery(sessionsQueryOptions(useBasekit()));
export const useMfaFactors = () => useQuery(mfaFactorsQueryOptions(useBasekit()));
export const useActivity = () => useInfiniteQuery(activityInfiniteQueryOptions(useBasekit()));

export function useUpdateProfile() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (patch: ProfileUpdateInput) => unwrap(await client.profiles.update(patch)),
    onSuccess: (profile) => {
      queryClient.setQueryData(basekitKeys.myProfile(), profile);
      queryClient.setQueryData(basekitKeys.profile(profile.id), profile);
      queryClient.invalidateQueries({ queryKey: basekitKeys.activity() });
    },
  });
}

export function useUpdateSettings() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (patch: SettingsUpdateInput) => unwrap(await client.settings.update(patch)),
    onSuccess: (settings) => {
      queryClient.setQueryData(basekitKeys.settings(), settings);
      queryClient.invalidateQueries({ queryKey: basekitKeys.activity() });
    },
  });
}

export function useRevokeSession() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (sessionId: string | "others") =>
      sessionId === "others" ? unwrap(await client.settings.revokeOtherSessions()) : unwrap(await client.settings.revokeSession(sessionId)),
    onSettled: () => {
      queryClient.invalidateQueries({ queryKey: basekitKeys.sessions() });
      // Revoking is logged in the activity history.
      queryClient.invalidateQueries({ queryKey: basekitKeys.activity() });
    },
  });
}
