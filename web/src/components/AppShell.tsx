// The signed-in layout: navigation bar and the page below it. Redirects to sign-in without a session.
import { useBasekit, useMyProfile, useSession } from "@basekit/client-sdk/react";
import { Link, Navigate, Outlet, useNavigate } from "@tanstack/react-router";
import { Loading } from "./Status.tsx";

export function AppShell() {
  const { session, loading } = useSession();
  if (loading) return <Loading label="Checking your session…" />;
  if (!session) return <Navigate to="/sign-in" />;
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
