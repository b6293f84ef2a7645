// Admin: every user and every account's activity. Only shown to app_metadata.role = admin; the
// database's policies are what actually restrict the data.
import { adminActivityInfiniteQueryOptions, adminUsersInfiniteQueryOptions, useBasekit, useSession } from "@basekit/client-sdk/react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { describeActivity } from "../settings/describeActivity.ts";

export function AdminPage() {
  const client = useBasekit();
  const { session } = useSession();
  const [selected, setSelected] = useState<string | undefined>();
  const users = useInfiniteQuery(adminUsersInfiniteQueryOptions(client));
  const activity = useInfiniteQuery(adminActivityInfiniteQueryOptions(client, selected));
  if (session?.user.app_metadata?.role !== "admin")
    return (
      <div className="card">
        <h1>Admins only</h1>
        <p>Your account does not have the admin role.</p>
      </div>
    );
  return (
    <div className="page">
      <h1>Administration</h1>
      <div className="grid">
        <section className="card" aria-labelledby="users-title">
          <h2 id="users-title">Users</h2>
          {users.isPending ? <Loading /> : <ErrorMessage error={users.error} />}
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {users.data?.pages
                .flatMap((p) => p.items)
                .map((u) => (
                  <tr key={u.id} aria-selected={selected === u.id}>
                    <td>
                      <button type="button" className="link" onClick={() => setSelected(selected === u.id ? undefined : u.id)}>
                        {u.display_name}
                      </button>
                    </td>
                    <td>@{u.username}</td>
                    <td>{new Date(u.created_at).toLocaleDateString()}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          {users.hasNextPage ? (
            <button type="button" className="secondary" onClick={() => users.fetchNextPage()}>
              More users
            </button>
          ) : null}
        </section>
        <section className="card" aria-labelledby="admin-activity-title">
          <h2 id="admin-activity-title">{selected ? "Activity of the selected user" : "All activity"}</h2>
          {activity.isPending ? <Loading /> : <ErrorMessage error={activity.error} />}
          <ul className="activity">
            {activity.data?.pages
              .flatMap((p) => p.items)
              .map((entry) => (
                <li key={entry.id}>
                  <span>{describeActivity(entry.action)}</span>
                  <time dateTime={entry.created_at}>{new Date(entry.created_at).toLocaleString()}</time>
                </li>
              ))}
          </ul>
          {activity.hasNextPage ? (
            <button type="button" className="secondary" onClick={() => activity.fetchNextPage()}>
              Older
            </button>
          ) : null}
        </section>
      </div>
    </div>
  );
}
