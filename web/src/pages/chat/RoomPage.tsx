// One conversation: live messages, replies, edits, reactions, typing, who is online, read receipts,
// search and (for groups) membership. Non-members get a clear refusal, not an empty room.
import type { BasekitError } from "@basekit/client-sdk";
import {
  useMarkRoomRead,
  useMessages,
  useMyProfile,
  useRoom,
  useRoomLive,
  useRoomMembers,
  useRoomPresence,
  useSession,
  useSettings,
} from "@basekit/client-sdk/react";
import { Link, useParams } from "@tanstack/react-router";
import { useEffect, useRef, useState } from "react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { Composer } from "./Composer.tsx";
import { MembersPanel } from "./MembersPanel.tsx";
import { MessageList } from "./MessageList.tsx";
import { RoomSearch } from "./RoomSearch.tsx";

export function RoomPage() {
  const { roomId } = useParams({ strict: false }) as { roomId: string };
  const room = useRoom(roomId);
  if (room.isPending) return <Loading label="Opening the conversation…" />;
  if (room.error)
    return (
      <div className="card" data-testid="room-unavailable">
        <h1>Conversation unavailable</h1>
        {(room.error as BasekitError).code === "not_found" ? (
          <p>This conversation does not exist, or you are not a member of it.</p>
        ) : (
          <ErrorMessage error={room.error} />
        )}
        <Link to="/chat">Back to your conversations</Link>
      </div>
    );
  return <Room key={roomId} roomId={roomId} kind={room.data.kind} name={room.data.name} topic={room.data.topic} />;
}

function Room({ roomId, kind, name, topic }: { roomId: string; kind: "direct" | "group"; name: string | null; topic: string | null }) {
  const { session } = useSession();
  const me = useMyProfile();
  const settings = useSettings();
  const members = useRoomMembers(roomId);
  const messages = useMessages(roomId);
  const { mutate: markRead } = useMarkRoomRead(roomId);
  // The highest message this page already asked to mark read: until the members query catches up,
  // the read position it shows is stale, and asking again would update the row (and notify every
  // member) once per render.
  const requestedRead = useRef(0);
  const [replyTo, setReplyTo] = useState<{ id: number; body: string } | null>(null);
  useRoomLive(roomId);
  const presence = useRoomPresence(
    roomId,
    session && me.data ? { userId: session.user.id, displayName: me.data.display_name } : undefined,
    settings.data?.show_online_status ?? true,
  );

  // Reading the newest message moves the read position (and clears the unread count).
  const newest = messages.data?.pages[0]?.items.find((m) => m.id > 0);
  const myRead = members.data?.find((m) => m.user_id === session?.user.id)?.last_read_message_id ?? 0;
  useEffect(() => {
    if (!newest || !settings.data || newest.id <= Math.max(myRead, requestedRead.current)) return;
    requestedRead.current = newest.id;
    markRead(newest.id);
  }, [newest, myRead, markRead, settings.data]);

  const others = members.data?.filter((m) => m.user_id !== session?.user.id) ?? [];
  const title = name ?? others[0]?.profile?.display_name ?? "Direct message";
  const online = presence.online.filter((u) => u.userId !== session?.user.id);
  return (
    <div className="room">
      <header className="room-header">
        <div>
          <h1 data-testid="room-title">{title}</h1>
          {topic ? <p className="topic">{topic}</p> : null}
          <p className="online" data-testid="online-users" aria-live="polite">
            {online.length ? `Online: ${online.map((u) => u.displayName).join(", ")}` : "Nobody else online"}
          </p>
        </div>
        <RoomSearch roomId={roomId} />
      </header>
      <div className="room-body">
        <MessageList roomId={roomId} members={members.data ?? []} myId={session?.user.id} onReply={setReplyTo} messages={messages} />
        {kind === "group" ? <MembersPanel roomId={roomId} members={members.data ?? []} myId={session?.user.id} /> : null}
      </div>
      <p className="typing" data-testid="typing-indicator" aria-live="polite">
        {presence.typing.length
          ? `${presence.typing.map((u) => u.displayName).join(", ")} ${presence.typing.length > 1 ? "are" : "is"} typing…`
          : ""}
      </p>
      <Composer roomId={roomId} replyTo={replyTo} onClearReply={() => setReplyTo(null)} onTyping={presence.setTyping} />
    </div>
  );
}
