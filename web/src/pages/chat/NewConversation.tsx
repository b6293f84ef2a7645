// Start a direct conversation with someone, or create a group with chosen members.
import type { Profile } from "@basekit/client-sdk";
import { useCreateGroup, useOpenDirectRoom } from "@basekit/client-sdk/react";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage } from "../../components/Status.tsx";
import { UserPicker } from "./UserPicker.tsx";

export function NewConversation() {
  const navigate = useNavigate();
  const openDirect = useOpenDirectRoom();
  const createGroup = useCreateGroup();
  const [mode, setMode] = useState<"closed" | "direct" | "group">("closed");
  const [name, setName] = useState("");
  const [members, setMembers] = useState<Profile[]>([]);
  const open = (roomId: string) => {
    setMode("closed");
    setName("");
    setMembers([]);
    navigate({ to: "/chat/$roomId", params: { roomId } });
  };
  return (
    <div className="new-conversation">
      <div className="row">
        <button type="button" onClick={() => setMode(mode === "direct" ? "closed" : "direct")} aria-expanded={mode === "direct"}>
          New message
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setMode(mode === "group" ? "closed" : "group")}
          aria-expanded={mode === "group"}
        >
          New group
        </button>
      </div>
      {mode === "direct" ? (
        <UserPicker label="Message someone" onPick={(profile) => openDirect.mutate(profile.id, { onSuccess: open })} />
      ) : null}
      {mode === "group" ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            createGroup.mutate({ name, memberIds: members.map((m) => m.id) }, { onSuccess: open });
          }}
        >
          <Field label="Group name" value={name} onChange={(e) => setName(e.target.value)} required />
          <UserPicker label="Add people" exclude={members.map((m) => m.id)} onPick={(profile) => setMembers([...members, profile])} />
          <ul className="chips" aria-label="Members to add">
            {members.map((m) => (
              <li key={m.id}>
                {m.display_name}{" "}
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${m.display_name}`}
                  onClick={() => setMembers(members.filter((x) => x.id !== m.id))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <button type="submit" disabled={createGroup.isPending}>
            Create group
          </button>
        </form>
      ) : null}
      <ErrorMessage error={openDirect.error ?? createGroup.error} />
    </div>
  );
}
