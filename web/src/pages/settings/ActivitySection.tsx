// The account's activity history, newest first, loading older entries on demand.
import { useActivity } from "@basekit/client-sdk/react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { describeActivity } from "./describeActivity.ts";

export function ActivitySection() {
  const activity = useActivity();
  const entries = activity.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="card" aria-labelledby="activity-history-title">
      <h2 id="activity-history-title">Activity history</h2>
      {activity.isPending ? <Loading /> : <ErrorMessage error={activity.error} />}
      <ul className="activity">
        {entries.map((entry) => (
          <li key={entry.id}>
            <span>{describeActivity(entry.action)}</span>
            <time dateTime={entry.created_at}>{new Date(entry.created_at).toLocaleString()}</time>
            {entry.ip ? <small>{String(entry.ip)}</small> : null}
          </li>
        ))}
      </ul>
      {activity.hasNextPage ? (
        <button type="button" className="secondary" onClick={() => activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
          {activity.isFetchingNextPage ? "Loading…" : "Show older"}
        </button>
      ) : null}
    </section>
  );
}
