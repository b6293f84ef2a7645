import assert from "node:assert/strict";
import { test } from "node:test";
import { type InfiniteData, QueryClient } from "@tanstack/react-query";
import type { Page } from "../lib/page.ts";
import type { ChatMessage } from "./chat-queries.ts";
import { upsertMessage } from "./message-cache.ts";
import { basekitKeys } from "./query-keys.ts";

const roomId = "00000000-0000-4000-a000-000000000101";
const me = "00000000-0000-4000-a000-000000000001";

function message(id: number, body: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id,
    room_id: roomId,
    sender_id: me,
    body,
    reply_to_id: null,
    attachments: [],
    created_at: "2026-01-01T00:00:00Z",
    edited_at: null,
    deleted_at: null,
    ...extra,
  };
}

function cacheWith(items: ChatMessage[]) {
  const queryClient = new QueryClient();
  queryClient.setQueryData<InfiniteData<Page<ChatMessage>, string | null>>(basekitKeys.messages(roomId), {
    pages: [{ items, nextCursor: null }],
    pageParams: [null],
  });
  const bodies = () =>
    queryClient
      .getQueryData<InfiniteData<Page<ChatMessage>, string | null>>(basekitKeys.messages(roomId))
      ?.pages.flatMap((page) => page.items.map((m) => `${m.id}:${m.body}`));
  return { queryClient, bodies };
}

test("the live copy of my message replaces its optimistic copy, so it is not shown twice", () => {
  const { queryClient, bodies } = cacheWith([message(-1, "hello", { status: "sending" }), message(10, "earlier")]);
  upsertMessage(queryClient, roomId, message(11, "hello"));
  assert.deepEqual(bodies(), ["11:hello", "10:earlier"]);
  // The send call answering afterwards finds the same row and changes nothing.
  upsertMessage(queryClient, roomId, message(11, "hello"));
  assert.deepEqual(bodies(), ["11:hello", "10:earlier"]);
});

test("the same text sent twice: each live copy replaces one optimistic copy, earliest first", () => {
  const { queryClient, bodies } = cacheWith([message(-1, "again", { status: "sending" }), message(-2, "again", { status: "sending" })]);
  upsertMessage(queryClient, roomId, message(20, "again"));
  assert.deepEqual(bodies(), ["-2:again", "20:again"]);
});

test("someone else's message, a failed send or another text leaves optimistic copies alone", () => {
  const { queryClient, bodies } = cacheWith([message(-1, "hi", { status: "sending" }), message(-2, "lost", { status: "failed" })]);
  upsertMessage(queryClient, roomId, message(30, "hi", { sender_id: "00000000-0000-4000-a000-000000000002" }));
  upsertMessage(queryClient, roomId, message(31, "lost"));
  upsertMessage(queryClient, roomId, message(32, "other"));
  assert.deepEqual(bodies()?.sort(), ["-1:hi", "-2:lost", "30:hi", "31:lost", "32:other"]);
});
