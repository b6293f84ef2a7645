// Chat hooks: queries, live cache updates, optimistic sends that reconcile with the server's row,
// presence and typing.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { SendMessageInput } from "../chat/chat-schemas.ts";
import type { PresenceUser, RoomPresence } from "../chat/presence.ts";
import { unwrap } from "../lib/result.ts";
import {
  type ChatMessage,
  messageSearchQueryOptions,
  messagesInfiniteQueryOptions,
  reactionsQueryOptions,
  roomMembersQueryOptions,
  roomQueryOptions,
  roomsQueryOptions,
} from "./chat-queries.ts";
import { removeMessage, upsertMessage } from "./message-cache.ts";
import { useBasekit } from "./provider.ts";
import { basekitKeys } from "./query-keys.ts";

export const useRooms = () => useQuery(roomsQueryOptions(useBasekit()));
export const useRoom = (roomId: string) => useQuery(roomQueryOptions(useBasekit(), roomId));
export const useRoomMembers = (roomId: string) => useQuery(roomMembersQueryOptions(useBasekit(), roomId));
export const useMessages = (roomId: string) => useInfiniteQuery(messagesInfiniteQueryOptions(useBasekit(), roomId));
export const useReactions = (roomId: string) => useQuery(reactionsQueryOptions(useBasekit(), roomId));
export const useMessageSearch = (query: string, roomId?: string) => useQuery(messageSearchQueryOptions(useBasekit(), query, roomId));

/** Keeps a room's cached messages, reactions and members in step with the server while mounted. */
export function useRoomLive(roomId: string, enabled = true) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    const reactionsKey = reactionsQueryOptions(client, roomId).queryKey;
    const refetchRoom = () => {
      queryClient.invalidateQueries({ queryKey: basekitKeys.messages(roomId) });
      queryClient.invalidateQueries({ queryKey: reactionsKey });
      queryClient.invalidateQueries({ queryKey: basekitKeys.members(roomId) });
    };
    const subscription = client.chat.subscribeToRoom(roomId, {
      onMessage: (message) => {
        upsertMessage(queryClient, roomId, message);
        queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() });
        // Sending moves the sender's read position too: refresh read receipts.
        queryClient.invalidateQueries({ queryKey: basekitKeys.members(roomId) });
      },
      onMessageChanged: (message) => upsertMessage(queryClient, roomId, message),
      onReaction: () => queryClient.invalidateQueries({ queryKey: reactionsKey }),
      onMemberChanged: () => queryClient.invalidateQueries({ queryKey: basekitKeys.members(roomId) }),
      onRejoined: () => refetchRoom(),
    });
    // Whatever happened between the first fetch and the subscription: fetch it once now.
    subscription.ready.then((result) => {
      if (!result.error) refetchRoom();
    });
    return () => void subscription.unsubscribe();
  }, [client, queryClient, roomId, enabled]);
}

/** Keeps the room list (unread counts, order) fresh while mounted. */
export function useInboxLive(userId: string | undefined) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!userId) return;
    const refresh = () => queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() });
    const subscription = client.chat.subscribeToInbox(userId, {
      onMessage: (message) => {
        // Also feed the room's cached messages (a no-op when that room is not loaded), so an open
        // room stays current even if its own subscription is still joining.
        upsertMessage(queryClient, message.room_id, message);
        queryClient.invalidateQueries({ queryKey: basekitKeys.members(message.room_id) });
        refresh();
      },
      onMembershipChanged: refresh,
      onRejoined: refresh,
    });
    // Whatever changed between the room list's fetch and the subscription: fetch it once now.
    subscription.ready.then((result) => {
      if (!result.error) refresh();
    });
    return () => void subscription.unsubscribe();
  }, [client, queryClient, userId]);
}

let optimisticSequence = 0;

/** Sends a message, showing it at once; the server's row replaces it (or it is marked failed). */
export function useSendMessage(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: Omit<SendMessageInput, "roomId">) => unwrap(await client.chat.messages.send({ ...input, roomId })),
    onMutate: async (input) => {
      const { data } = await client.supabase.auth.getSession();
      const optimistic: ChatMessage = {
        id: -++optimisticSequence,
        room_id: roomId,
        sender_id: data.session?.user.id ?? null,
        body: input.body,
        reply_to_id: input.replyToId ?? null,
        attachments: [],
        created_at: new Date().toISOString(),
        edited_at: null,
        deleted_at: null,
        status: "sending",
      };
      upsertMessage(queryClient, roomId, optimistic);
      return { optimistic };
    },
    onError: (_error, _input, context) => {
      if (context) upsertMessage(queryClient, roomId, { ...context.optimistic, status: "failed" });
    },
    onSuccess: (message, _input, context) => {
      if (context) removeMessage(queryClient, roomId, context.optimistic.id);
      upsertMessage(queryClient, roomId, message);
    },
  });
}

/** Removes a failed optimistic message from the cache (e.g. before retrying it). */
export function useDiscardMessage(roomId: string) {
  const queryClient = useQueryClient();
  return (id: number) => removeMessage(queryClient, roomId, id);
}

export function useEditMessage(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { messageId: number; body: string }) => unwrap(await client.chat.messages.edit(input)),
    onSuccess: (message) => upsertMessage(queryClient, roomId, message),
  });
}

export function useDeleteMessage(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (messageId: number) => unwrap(await client.chat.messages.delete(messageId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: basekitKeys.messages(roomId) }),
  });
}

export function useToggleReaction(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { messageId: number; emoji: string; active: boolean }) =>
      unwrap(await (input.active ? client.chat.messages.unreact(input) : client.chat.messages.react(input))),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reactionsQueryOptions(client, roomId).queryKey }),
  });
}

export function useMarkRoomRead(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (upToMessageId?: number) => unwrap(await client.chat.messages.markRead({ roomId, upToMessageId })),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() });
      queryClient.invalidateQueries({ queryKey: basekitKeys.members(roomId) });
    },
  });
}

export function useOpenDirectRoom() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (otherUserId: string) => unwrap(await client.chat.rooms.openDirect(otherUserId)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() }),
  });
}

export function useCreateGroup() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (input: { name: string; topic?: string | null; memberIds?: string[] }) =>
      unwrap(await client.chat.rooms.createGroup(input)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() }),
  });
}

export function useRoomMembership(roomId: string) {
  const client = useBasekit();
  const queryClient = useQueryClient();
  const refresh = () => {
    queryClient.invalidateQueries({ queryKey: basekitKeys.members(roomId) });
    queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() });
  };
  return {
    add: useMutation({
      mutationFn: async (userId: string) => unwrap(await client.chat.members.add({ roomId, userId })),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: async (userId: string) => unwrap(await client.chat.members.remove({ roomId, userId })),
      onSuccess: refresh,
    }),
    leave: useMutation({ mutationFn: async () => unwrap(await client.chat.rooms.leave(roomId)), onSuccess: refresh }),
  };
}

export interface RoomPresenceState {
  online: PresenceUser[];
  typing: { userId: string; displayName: string }[];
  /** Call from the composer's onChange (true) and after sending (false). */
  setTyping(typing: boolean): void;
}

/** Who is online in the room and who is typing; announces the caller unless `announce` is false. */
export function useRoomPresence(
  roomId: string,
  me: { userId: string; displayName: string } | undefined,
  announce = true,
): RoomPresenceState {
  const client = useBasekit();
  const [online, setOnline] = useState<PresenceUser[]>([]);
  const [typing, setTypingUsers] = useState<{ userId: string; displayName: string }[]>([]);
  const presence = useRef<RoomPresence | null>(null);
  const userId = me?.userId;
  const displayName = me?.displayName;
  useEffect(() => {
    if (!userId || !displayName) return;
    const joined = client.chat.joinPresence(roomId, { userId, displayName, announce }, { onPresence: setOnline, onTyping: setTypingUsers });
    presence.current = joined;
    return () => {
      presence.current = null;
      setOnline([]);
      setTypingUsers([]);
      void joined.leave();
    };
  }, [client, roomId, userId, displayName, announce]);
  return { online, typing, setTyping: (value) => presence.current?.setTyping(value) };
}
