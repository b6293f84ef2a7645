// Chat layout: the room list (with unread counts, new conversation and new group) beside the open room.
import { useInboxLive, useSession } from "@basekit/client-sdk/react";
import { Outlet } from "@tanstack/react-router";
import { NewConversation } from "./NewConversation.tsx";
import { RoomList } from "./RoomList.tsx";

export function ChatPage() {
  const { session } = useSession();
  useInboxLive(session?.user.id);
  return (
    <div className="chat">
      <aside className="chat-sidebar" aria-label="Conversations">
        <NewConversation />
        <RoomList />
      </aside>
      <section className="chat-main">
        <Outlet />
      </section>
    </div>
  );
}

export function NoRoomSelected() {
  return <p className="empty">Choose a conversation, or start a new one.</p>;
}
