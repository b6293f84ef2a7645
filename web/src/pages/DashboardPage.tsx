// Home after sign-in: greeting, unread conversations and recent account activity.
import { useActivity, useInboxLive, useMyProfile, useRooms, useSession } from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";
import { ErrorMessage, Loading } from "../components/Status.tsx";
import { describeActivity } from "./settings/describeActivity.ts";

export function DashboardPage() {
  const { session } = useSession();
  const profile = useMyProfile();
  const rooms = useRooms();
  const activity = useActivity();
  useInboxLive(session?.user.id);
  const unread = rooms.data?.filter((room) => Number(room.unread_count) > 0) ?? [];
  return (
    <div className="page">
      <h1>{profile.data ? `Welcome, ${profile.data.display_name}` : "Welcome"}</h1>
      <div className="grid">
        <section className="card" aria-labelledby="unread-title">
          <h2 id="unread-title">Conversations</h2>
          {rooms.isPending ? <Loading /> : rooms.error ? <ErrorMessage error={rooms.error} /> : null}
          {rooms.data ? (
            <p>
              {unread.length === 0
                ? `No unread messages in your ${rooms.data.length} conversation${rooms.data.length === 1 ? "" : "s"}.`
                : `${unread.reduce((sum, room) => sum + Number(room.unread_count), 0)} unread message(s) in ${unread.length} conversation(s).`}
            </p>
          ) : null}
          <Link to="/chat" className="button">
            Open chat
          </Link>
        </section>
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">Your profile</h2>
          {profile.isPending ? <Loading /> : profile.error ? <ErrorMessage error={profile.error} /> : null}
          {profile.data ? (
            <dl>
              <dt>Username</dt>
              <dd>@{profile.data.username}</dd>
              <dt>Email</dt>
              <dd>{session?.user.email}</dd>
            </dl>
          ) : null}
          <Link to="/profile">Edit profile</Link>
        </section>
        <section className="card wide" aria-labelledby="activity-title">
          <h2 id="activity-title">Recent activity</h2>
          {activity.isPending ? <Loading /> : activity.error ? <ErrorMessage error={activity.error} /> : null}
          <ul className="activity">
            {activity.data?.pages[0]?.items.slice(0, 5).map((entry) => (
              <li key={entry.id}>
                <span>{describeActivity(entry.action)}</span>{" "}
                <time dateTime={entry.created_at}>{new Date(entry.created_at).toLocaleString()}</time>
              </li>
            ))}
          </ul>
          {activity.data && activity.data.pages[0]?.items.length === 0 ? <p>Nothing yet.</p> : null}
        </section>
      </div>
    </div>
  );
}
