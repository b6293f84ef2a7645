// The signed-in user's rooms, most recent first, with unread counts.
import { useRooms } from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { useRoomTitles } from "./useRoomTitles.ts";

export function RoomList() {
  const rooms = useRooms();
  const title = useRoomTitles(rooms.data);
  if (rooms.isPending) return <Loading />;
  if (rooms.error) return <ErrorMessage error={rooms.error} />;
  if (rooms.data.length === 0) return <p className="empty">No conversations yet.</p>;
  return (
    <ul className="room-list">
      {rooms.data.map((room) => {
        const unread = Number(room.unread_count);
        return (
          <li key={room.room_id}>
            <Link to="/chat/$roomId" params={{ roomId: room.room_id }} data-testid="room-link">
              <span className="room-kind" aria-hidden="true">
                {room.kind === "group" ? "#" : "@"}
              </span>
              <span className="room-name">{title(room)}</span>
              {unread > 0 ? (
                <span className="badge" data-testid="unread-count">
                  {unread}
                  <span className="visually-hidden"> unread</span>
                </span>
              ) : null}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
