// The room's messages, oldest at the top, with older pages on demand. Each message shows its
// sender, reply quote, edited/deleted state, reactions and (for your own) edit and delete.
import type { RoomMemberWithProfile } from "@basekit/client-sdk";
import type { useMessages } from "@basekit/client-sdk/react";
import {
  type ChatMessage,
  useDeleteMessage,
  useDiscardMessage,
  useEditMessage,
  useReactions,
  useToggleReaction,
} from "@basekit/client-sdk/react";
import { useEffect, useRef, useState } from "react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";

const EMOJI = ["👍", "❤️", "😂", "🎉"];

interface Props {
  roomId: string;
  members: RoomMemberWithProfile[];
  myId: string | undefined;
  messages: ReturnType<typeof useMessages>;
  onReply(message: { id: number; body: string }): void;
}

export function MessageList({ roomId, members, myId, messages, onReply }: Props) {
  const reactions = useReactions(roomId);
  const toggle = useToggleReaction(roomId);
  const bottom = useRef<HTMLDivElement>(null);
  const list = [...(messages.data?.pages.flatMap((p) => p.items) ?? [])].reverse();
  const byId = new Map(list.map((m) => [m.id, m]));
  const names = new Map(members.map((m) => [m.user_id, m.profile?.display_name ?? "Someone"]));
  const newestId = list.at(-1)?.id;
  // Each other member's receipt sits under the newest message they have read that they did not send.
  const readPosition = new Map<string, number>();
  for (const member of members) {
    if (member.user_id === myId || !member.last_read_message_id) continue;
    const lastRead = member.last_read_message_id;
    const seen = list.findLast((m) => m.id > 0 && m.id <= lastRead && m.sender_id !== member.user_id);
    if (seen) readPosition.set(member.user_id, seen.id);
  }
  useEffect(() => {
    if (newestId !== undefined) bottom.current?.scrollIntoView({ block: "end" });
  }, [newestId]);

  if (messages.isPending) return <Loading label="Loading messages…" />;
  if (messages.error) return <ErrorMessage error={messages.error} />;
  return (
    <div className="messages" role="log" aria-label="Messages" aria-live="polite">
      {messages.hasNextPage ? (
        <button type="button" className="secondary" onClick={() => messages.fetchNextPage()} disabled={messages.isFetchingNextPage}>
          {messages.isFetchingNextPage ? "Loading…" : "Load older messages"}
        </button>
      ) : null}
      {list.length === 0 ? <p className="empty">No messages yet. Say hello!</p> : null}
      <ol>
        {list.map((message) => {
          const mine = message.sender_id === myId;
          const readers = members.filter((m) => readPosition.get(m.user_id) === message.id);
          const counts = new Map<string, { count: number; mine: boolean }>();
          for (const r of reactions.data ?? []) {
            if (r.message_id !== message.id) continue;
            const entry = counts.get(r.emoji) ?? { count: 0, mine: false };
            counts.set(r.emoji, { count: entry.count + 1, mine: entry.mine || r.user_id === myId });
          }
          const parent = message.reply_to_id ? byId.get(message.reply_to_id) : undefined;
          return (
            <li key={message.id} className={`message${mine ? " mine" : ""}`} data-testid="message" data-status={message.status ?? "sent"}>
              <div className="meta">
                <strong>{mine ? "You" : (names.get(message.sender_id ?? "") ?? "Someone")}</strong>{" "}
                <time dateTime={message.created_at}>{new Date(message.created_at).toLocaleTimeString()}</time>
                {message.edited_at && !message.deleted_at ? <em> (edited)</em> : null}
                {message.status === "sending" ? <em> sending…</em> : null}
              </div>
              {message.reply_to_id ? (
                <blockquote className="reply-quote">{parent ? parent.body || "Deleted message" : "Earlier message"}</blockquote>
              ) : null}
              {message.deleted_at ? (
                <p className="deleted">Message deleted</p>
              ) : (
                <MessageBody roomId={roomId} message={message} mine={mine} />
              )}
              {message.id > 0 && !message.deleted_at ? (
                <div className="message-actions">
                  {EMOJI.map((emoji) => {
                    const state = counts.get(emoji);
                    return (
                      <button
                        key={emoji}
                        type="button"
                        className={`reaction${state?.mine ? " active" : ""}`}
                        aria-pressed={state?.mine ?? false}
                        aria-label={`React ${emoji}${state ? ` (${state.count})` : ""}`}
                        onClick={() => toggle.mutate({ messageId: message.id, emoji, active: state?.mine ?? false })}
                      >
                        {emoji}
                        {state ? ` ${state.count}` : ""}
                      </button>
                    );
                  })}
                  <button type="button" className="link" onClick={() => onReply({ id: message.id, body: message.body })}>
                    Reply
                  </button>
                </div>
              ) : null}
              {readers.length ? (
                <small className="receipt" data-testid="read-receipt">
                  Seen by {readers.map((r) => r.profile?.display_name ?? "someone").join(", ")}
                </small>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div ref={bottom} />
    </div>
  );
}

function MessageBody({ roomId, message, mine }: { roomId: string; message: ChatMessage; mine: boolean }) {
  const edit = useEditMessage(roomId);
  const remove = useDeleteMessage(roomId);
  const discard = useDiscardMessage(roomId);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.body);
  if (message.status === "failed")
    return (
      <p className="failed" role="alert">
        {message.body} — not sent.{" "}
        <button type="button" className="link" onClick={() => discard(message.id)}>
          Dismiss
        </button>
      </p>
    );
  if (editing)
    return (
      <form
        onSubmit={(event) => {
          event.preventDefault();
          edit.mutate({ messageId: message.id, body: draft }, { onSuccess: () => setEditing(false) });
        }}
      >
        <label className="visually-hidden" htmlFor={`edit-${message.id}`}>
          Edit message
        </label>
        <input id={`edit-${message.id}`} value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit">Save</button>
        <button type="button" className="secondary" onClick={() => setEditing(false)}>
          Cancel
        </button>
        <ErrorMessage error={edit.error} />
      </form>
    );
  return (
    <>
      <p className="body">{message.body}</p>
      {mine && message.id > 0 ? (
        <span className="own-actions">
          <button type="button" className="link" onClick={() => (setDraft(message.body), setEditing(true))}>
            Edit
          </button>
          <button type="button" className="link danger" onClick={() => remove.mutate(message.id)}>
            Delete
          </button>
        </span>
      ) : null}
      <ErrorMessage error={remove.error} />
    </>
  );
}
