// queryOptions factories for chat: room list, room, members, messages (infinite, newest first),
// reactions and search.
import { infiniteQueryOptions, queryOptions } from "@tanstack/react-query";
import type { Message } from "../chat/chat-types.ts";
import type { BasekitClient } from "../client.ts";
import type { Page } from "../lib/page.ts";
import { unwrap } from "../lib/result.ts";
import { basekitKeys } from "./query-keys.ts";

/** A message in the cache: a server row, or an optimistic one still sending (negative id) or failed. */
export type ChatMessage = Message & { status?: "sending" | "failed" };

export const roomsQueryOptions = (client: BasekitClient) =>
  queryOptions({ queryKey: basekitKeys.rooms(), queryFn: async () => unwrap(await client.chat.rooms.list()) });

export const roomQueryOptions = (client: BasekitClient, roomId: string) =>
  queryOptions({ queryKey: basekitKeys.room(roomId), queryFn: async () => unwrap(await client.chat.rooms.get(roomId)), retry: false });

export const roomMembersQueryOptions = (client: BasekitClient, roomId: string) =>
  queryOptions({ queryKey: basekitKeys.members(roomId), queryFn: async () => unwrap(await client.chat.members.list(roomId)) });

export const messagesInfiniteQueryOptions = (client: BasekitClient, roomId: string, limit = 30) =>
  infiniteQueryOptions({
    queryKey: basekitKeys.messages(roomId),
    queryFn: async ({ pageParam }): Promise<Page<ChatMessage>> =>
      unwrap(await client.chat.messages.list({ roomId, limit, cursor: pageParam })),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
  });

export const reactionsQueryOptions = (client: BasekitClient, roomId: string) =>
  queryOptions({
    queryKey: [...basekitKeys.room(roomId), "reactions"] as const,
    queryFn: async () => unwrap(await client.chat.messages.reactions(roomId)),
  });

export const messageSearchQueryOptions = (client: BasekitClient, query: string, roomId?: string) =>
  queryOptions({
    queryKey: basekitKeys.search(query, roomId),
    queryFn: async () => unwrap(await client.chat.messages.search({ query, roomId })),
    enabled: query.trim().length > 0,
  });
