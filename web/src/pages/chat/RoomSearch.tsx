// Full-text search within the room.
import { useMessageSearch } from "@basekit/client-sdk/react";
import { useDeferredValue, useState } from "react";

export function RoomSearch({ roomId }: { roomId: string }) {
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const results = useMessageSearch(deferred, roomId);
  return (
    <search className="room-search">
      <label htmlFor="room-search" className="visually-hidden">
        Search this conversation
      </label>
      <input id="room-search" type="search" placeholder="Search messages" value={query} onChange={(e) => setQuery(e.target.value)} />
      {deferred ? (
        <ul className="search-results" aria-label="Search results">
          {results.data?.map((m) => (
            <li key={m.id}>
              <time dateTime={m.created_at}>{new Date(m.created_at).toLocaleString()}</time> {m.body}
            </li>
          ))}
          {results.isSuccess && results.data.length === 0 ? <li className="empty">No matches.</li> : null}
        </ul>
      ) : null}
    </search>
  );
}
