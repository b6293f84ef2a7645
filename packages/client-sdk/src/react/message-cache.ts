// Writes single messages into the infinite messages query (pages newest first) without refetching:
// used by live events and by optimistic sends.
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import type { Page } from "../lib/page.ts";
import type { ChatMessage } from "./chat-queries.ts";
import { basekitKeys } from "./query-keys.ts";

type MessagePages = InfiniteData<Page<ChatMessage>, string | null>;

function update(queryClient: QueryClient, roomId: string, change: (pages: Page<ChatMessage>[]) => Page<ChatMessage>[]) {
  queryClient.setQueryData<MessagePages>(basekitKeys.messages(roomId), (data) => (data ? { ...data, pages: change(data.pages) } : data));
}

/** Adds a message, or replaces the cached copy with the same id. */
export function upsertMessage(queryClient: QueryClient, roomId: string, message: ChatMessage) {
  update(queryClient, roomId, (pages) => {
    const exists = pages.some((page) => page.items.some((m) => m.id === message.id));
    if (exists) return pages.map((page) => ({ ...page, items: page.items.map((m) => (m.id === message.id ? message : m)) }));
    const [first, ...rest] = pages;
    if (!first) return [{ items: [message], nextCursor: null }];
    // Newest first: optimistic messages (still sending) stay on top of confirmed ones.
    const items = [...first.items, message].sort((a, b) => sortKey(b) - sortKey(a));
    return [{ ...first, items }, ...rest];
  });
}

export function removeMessage(queryClient: QueryClient, roomId: string, id: number) {
  update(queryClient, roomId, (pages) => pages.map((page) => ({ ...page, items: page.items.filter((m) => m.id !== id) })));
}

// Server ids grow with time; optimistic ones (negative) belong after every confirmed message.
const sortKey = (message: ChatMessage) => (message.id < 0 ? Number.MAX_SAFE_INTEGER + message.id : message.id);
