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
  update(queryClient, roomId, (unsettled) => {
    // The live event for one's own message can arrive before the send call answers: it stands in
    // for the optimistic copy then, or the message would show twice until the call returns.
    const pages = message.id > 0 ? withoutOptimisticCopy(unsettled, message) : unsettled;
    const exists = pages.some((page) => page.items.some((m) => m.id === message.id));
    if (exists) return pages.map((page) => ({ ...page, items: page.items.map((m) => (m.id === message.id ? message : m)) }));
    const [first, ...rest] = pages;
    if (!first) return [{ items: [message], nextCursor: null }];
    // Newest first: optimistic messages (still sending) stay on top of confirmed ones.
    const items = [...first.items, message].sort((a, b) => sortKey(b) - sortKey(a));
    return [{ ...first, items }, ...rest];
  });
}

function withoutOptimisticCopy(pages: Page<ChatMessage>[], message: ChatMessage): Page<ChatMessage>[] {
  const copies = pages
    .flatMap((page) => page.items)
    .filter(
      (m) =>
        m.id < 0 &&
        m.status === "sending" &&
        m.sender_id === message.sender_id &&
        m.body === message.body &&
        m.reply_to_id === message.reply_to_id,
    );
  if (copies.length === 0) return pages;
  // The earliest send is answered first (optimistic ids count down from -1).
  const copyId = Math.max(...copies.map((m) => m.id));
  return pages.map((page) => ({ ...page, items: page.items.filter((m) => m.id !== copyId) }));
}

export function removeMessage(queryClient: QueryClient, roomId: string, id: number) {
  update(queryClient, roomId, (pages) => pages.map((page) => ({ ...page, items: page.items.filter((m) => m.id !== id) })));
}

// Server ids grow with time; optimistic ones (negative) belong after every confirmed message.
const sortKey = (message: ChatMessage) => (message.id < 0 ? Number.MAX_SAFE_INTEGER + message.id : message.id);
