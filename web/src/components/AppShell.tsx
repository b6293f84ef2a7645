// The signed-in layout: navigation bar and the page below it. Redirects to sign-in without a session.
import { useBasekit, useMyProfile, useSession } from "@basekit/client-sdk/react";
import { Link, Navigate, Outlet, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { NotificationBell } from "./NotificationBell.tsx";
import { Loading } from "./Status.tsx";

export function AppShell() {
  const { session, loading } = useSession();
  const assurance = useAssuranceCheck(session?.user.id, session?.access_token);
  if (loading) return <Loading label="Checking your session…" />;
  if (!session) return <Navigate to="/sign-in" />;
  if (assurance === "checking") return <Loading label="Checking your session…" />;
  if (assurance === "needs-code") return <Navigate to="/mfa" />;
  const isAdmin = session.user.app_metadata?.role === "admin";
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          basekit
        </Link>
        <nav aria-label="Main">
          <Link to="/" activeOptions={{ exact: true }}>
            Dashboard
          </Link>
          <Link to="/chat">Chat</Link>
          <Link to="/profile">Profile</Link>
          <Link to="/settings">Settings</Link>
          {isAdmin ? <Link to="/admin">Admin</Link> : null}
        </nav>
        <NotificationBell />
        <AccountMenu />
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function AccountMenu() {
  const client = useBasekit();
  const navigate = useNavigate();
  const profile = useMyProfile();
  return (
    <div className="account">
      <span className="who" data-testid="current-user">
        {profile.data?.display_name ?? ""}
      </span>
      <button
        type="button"
        className="secondary"
        onClick={async () => {
          await client.auth.signOut();
          navigate({ to: "/sign-in" });
        }}
      >
        Sign out
      </button>
    </div>
  );
}

/**
 * Checks the stored session when the app loads (and on each new token): a session revoked
 * from another device is dropped (Auth answers `session_not_found` and the SDK signs this tab
 * out), and an account with two-step verification that has only passed the password step is sent
 * to the code page instead of the app.
 */
function useAssuranceCheck(userId: string | undefined, accessToken: string | undefined): "checking" | "ok" | "needs-code" {
  const client = useBasekit();
  const [checked, setChecked] = useState<{ result: "ok" | "needs-code" } | null>(null);
  useEffect(() => {
    if (!userId) return;
    client.auth.getUser();
  }, [client, userId]);
  useEffect(() => {
    if (!accessToken) return;
    let active = true;
    client.auth.mfa.getAssuranceLevel().then(({ data }) => {
      if (!active) return;
      setChecked({ result: data?.current === "aal1" && data.next === "aal2" ? "needs-code" : "ok" });
    });
    return () => {
      active = false;
    };
  }, [client, accessToken]);
  if (!accessToken) return "ok";
  // While a refreshed token is re-checked, the last answer stands (no flash of the loading state).
  return checked?.result ?? "checking";
}
