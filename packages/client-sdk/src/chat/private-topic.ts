// The private Broadcast topics the database sends chat changes on (room:<id>:changes, user:<id>).
// supabase-js keeps one channel per topic and client, so every listener of a topic shares one
// channel, joined while at least one listener is left; a new listener waits for a leaving one.
import type { RealtimeChannel } from "@supabase/supabase-js";
import type { BasekitRealtimeError } from "../lib/errors.ts";
import type { BasekitResult } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { subscribeChannel } from "./subscribe-channel.ts";

/** A row change as the chat triggers broadcast it (the shape of realtime.broadcast_changes). */
export interface ChangeEvent {
  schema: string;
  table: string;
  operation: "INSERT" | "UPDATE" | "DELETE";
  /** The row after an INSERT or UPDATE. */
  record: Record<string, unknown> | null;
  /** The row a DELETE removed. */
  old_record: Record<string, unknown> | null;
}

export interface TopicListener {
  onChange(change: ChangeEvent): void;
  /** The channel broke after it had joined. */
  onError?(error: BasekitRealtimeError): void;
  /** The channel joined again after a loss (or late, after a slow join): fetch what it covers again. */
  onRejoined?(): void;
}

export interface LiveSubscription {
  /** Resolves once the server confirmed the subscription (or with the error that prevented it). */
  ready: Promise<BasekitResult<null>>;
  unsubscribe(): Promise<void>;
}

interface SharedTopic {
  channel: RealtimeChannel;
  listeners: Set<TopicListener>;
  ready: Promise<BasekitResult<null>>;
  /** Set when we remove the channel; from then on a new listener needs a new channel. */
  left: boolean;
}

interface ClientTopics {
  open: Map<string, SharedTopic>;
  leaving: Map<string, Promise<unknown>>;
}

const topicsByClient = new WeakMap<BasekitSupabaseClient, ClientTopics>();

/** Listens to the database's changes on a private topic until `unsubscribe`. */
export function listenToPrivateTopic(supabase: BasekitSupabaseClient, topic: string, listener: TopicListener): LiveSubscription {
  const state = topicsOf(supabase);
  const attached = (async () => {
    // supabase-js would hand back the channel that is still leaving, and never join it again.
    while (!usable(state.open.get(topic)) && state.leaving.has(topic)) await state.leaving.get(topic);
    let shared = state.open.get(topic);
    if (!usable(shared)) shared = openTopic(supabase, state, topic);
    shared.listeners.add(listener);
    return shared;
  })();
  let detached: Promise<void> | undefined;
  return {
    ready: attached.then((shared) => shared.ready),
    unsubscribe: () =>
      (detached ??= attached.then(async (shared) => {
        shared.listeners.delete(listener);
        if (shared.listeners.size === 0) await leaveTopic(supabase, state, topic, shared);
      })),
  };
}

function topicsOf(supabase: BasekitSupabaseClient): ClientTopics {
  let topics = topicsByClient.get(supabase);
  if (!topics) {
    topics = { open: new Map(), leaving: new Map() };
    topicsByClient.set(supabase, topics);
  }
  return topics;
}

/**
 * A channel we left, or one removed behind our back (e.g. removeAllChannels), cannot be joined
 * again. Its state alone does not tell: a new channel is "closed" until its join goes out (after
 * the token is set), and a second listener arriving then (React Strict Mode mounts effects twice)
 * must share it, not subscribe it again (supabase-js ignores that, and the second `ready` never settled).
 */
function usable(shared: SharedTopic | undefined): shared is SharedTopic {
  return (
    shared !== undefined &&
    !shared.left &&
    shared.channel.state !== "leaving" &&
    shared.channel.socket.getChannels().includes(shared.channel)
  );
}

function openTopic(supabase: BasekitSupabaseClient, state: ClientTopics, topic: string): SharedTopic {
  const listeners = new Set<TopicListener>();
  const channel = supabase
    .channel(topic, { config: { private: true } })
    .on("broadcast", { event: "*" }, ({ payload }: { payload: ChangeEvent }) => {
      for (const listener of listeners) listener.onChange(payload);
    });
  const ready = subscribeChannel(channel, {
    onLost: (error) => {
      for (const listener of listeners) listener.onError?.(error);
    },
    onRejoined: () => {
      for (const listener of listeners) listener.onRejoined?.();
    },
  });
  const shared: SharedTopic = { channel, listeners, ready, left: false };
  state.open.set(topic, shared);
  // A refused join is final: drop the channel now rather than let supabase-js retry it forever.
  void ready.then((result) => result.error && leaveTopic(supabase, state, topic, shared));
  return shared;
}

function leaveTopic(supabase: BasekitSupabaseClient, state: ClientTopics, topic: string, shared: SharedTopic): Promise<unknown> {
  shared.left = true;
  if (state.open.get(topic) !== shared) return state.leaving.get(topic) ?? Promise.resolve();
  state.open.delete(topic);
  const leaving = supabase.removeChannel(shared.channel).finally(() => {
    if (state.leaving.get(topic) === leaving) state.leaving.delete(topic);
  });
  state.leaving.set(topic, leaving);
  return leaving;
}
