// Group members with roles; owners and admins add and remove people; anyone can leave.
import type { RoomMemberWithProfile } from "@basekit/client-sdk";
import { useRoomMembership } from "@basekit/client-sdk/react";
import { useNavigate } from "@tanstack/react-router";
import { ErrorMessage } from "../../components/Status.tsx";
import { UserPicker } from "./UserPicker.tsx";

export function MembersPanel({ roomId, members, myId }: { roomId: string; members: RoomMemberWithProfile[]; myId: string | undefined }) {
  const membership = useRoomMembership(roomId);
  const navigate = useNavigate();
  const myRole = members.find((m) => m.user_id === myId)?.role;
  const manages = myRole === "owner" || myRole === "admin";
  return (
    <aside className="members" aria-labelledby="members-title">
      <h2 id="members-title">Members ({members.length})</h2>
      <ul>
        {members.map((m) => (
          <li key={m.user_id}>
            {m.profile?.display_name ?? "Someone"} <small>{m.role}</small>
            {manages && m.user_id !== myId && m.role !== "owner" ? (
              <button type="button" className="link danger" onClick={() => membership.remove.mutate(m.user_id)}>
                Remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {manages ? (
        <UserPicker label="Add someone" exclude={members.map((m) => m.user_id)} onPick={(p) => membership.add.mutate(p.id)} />
      ) : null}
      <button
        type="button"
        className="secondary"
        onClick={() => membership.leave.mutate(undefined, { onSuccess: () => navigate({ to: "/chat" }) })}
      >
        Leave group
      </button>
      <ErrorMessage error={membership.add.error ?? membership.remove.error ?? membership.leave.error} />
    </aside>
  );
}
