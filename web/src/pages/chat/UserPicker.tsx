// Search people by name and pick one (for direct messages, groups and adding members).
import type { Profile } from "@basekit/client-sdk";
import { profileSearchQueryOptions, useBasekit, useSession } from "@basekit/client-sdk/react";
import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";

export function UserPicker({ label, onPick, exclude = [] }: { label: string; onPick(profile: Profile): void; exclude?: string[] }) {
  const client = useBasekit();
  const { session } = useSession();
  const id = useId();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const results = useQuery(profileSearchQueryOptions(client, deferred));
  const shown = results.data?.filter((p) => p.id !== session?.user.id && !exclude.includes(p.id)) ?? [];
  return (
    <div className="picker">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        placeholder="Name or username"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        autoComplete="off"
      />
      {deferred ? (
        <ul className="picker-results" aria-label="Matching people">
          {shown.map((profile) => (
            <li key={profile.id}>
              <button type="button" className="link" onClick={() => (onPick(profile), setQuery(""))}>
                {profile.display_name} <small>@{profile.username}</small>
              </button>
            </li>
          ))}
          {results.isSuccess && shown.length === 0 ? <li className="empty">Nobody found.</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
