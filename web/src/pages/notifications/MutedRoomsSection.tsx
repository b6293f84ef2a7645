// Muted conversations: no new-message notifications from them (mentions still come).
import { unwrap } from "@basekit/client-sdk";
import { basekitKeys, useBasekit, useRooms } from "@basekit/client-sdk/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { useRoomTitles } from "../chat/useRoomTitles.ts";

export function MutedRoomsSection() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  const rooms = useRooms();
  const title = useRoomTitles(rooms.data);
  const mute = useMutation({
    mutationFn: async ({ roomId, muted }: { roomId: string; muted: boolean }) => unwrap(await client.chat.members.setMuted(roomId, muted)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: basekitKeys.rooms() }),
  });
  return (
    <section className="card" aria-labelledby="muted-title">
      <h2 id="muted-title">Muted conversations</h2>
      <p className="hint">A muted conversation sends no new-message notifications; mentions still reach you.</p>
      {rooms.isPending ? <Loading /> : null}
      <ErrorMessage error={rooms.error ?? mute.error} />
      {rooms.data && rooms.data.length === 0 ? <p className="empty">No conversations yet.</p> : null}
      <ul className="plain-list">
        {rooms.data?.map((room) => (
          <li key={room.room_id}>
            <label className="check">
              <input
                type="checkbox"
                checked={room.muted}
                disabled={mute.isPending}
                onChange={(e) => mute.mutate({ roomId: room.room_id, muted: e.target.checked })}
              />
              Mute {title(room)}
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
