// The devices signed in to this account, with sign-out per device or for all others.
import { useRevokeSession, useSessions } from "@basekit/client-sdk/react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";

export function SessionsSection() {
  const sessions = useSessions();
  const revoke = useRevokeSession();
  return (
    <section className="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      {sessions.isPending ? <Loading /> : <ErrorMessage error={sessions.error} />}
      <ul className="sessions">
        {sessions.data?.map((session) => (
          <li key={session.id}>
            <span>
              {session.user_agent || "Unknown device"} {session.ip ? `· ${session.ip}` : ""}
              {session.is_current ? <strong> (this device)</strong> : null}
            </span>
            <small>Signed in {new Date(session.created_at).toLocaleString()}</small>
            {session.is_current ? null : (
              <button type="button" className="secondary" onClick={() => revoke.mutate(session.id)} disabled={revoke.isPending}>
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      <ErrorMessage error={revoke.error} />
      {sessions.data && sessions.data.length > 1 ? (
        <button type="button" onClick={() => revoke.mutate("others")} disabled={revoke.isPending}>
          Sign out all other sessions
        </button>
      ) : null}
    </section>
  );
}
