// Where emailed links land (sign-up confirmation, magic link, email change). The SDK picks the
// session out of the URL; links carrying `token_hash` are verified here. Then on to the dashboard.
import { useBasekit, useSession } from "@basekit/client-sdk/react";
import { Link, Navigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { ErrorMessage, Loading } from "../../components/Status.tsx";

type LinkType = "signup" | "invite" | "magiclink" | "recovery" | "email_change" | "email";

export function ConfirmPage() {
  const client = useBasekit();
  const { session, loading } = useSession();
  const [error, setError] = useState<string | null>(() => {
    const hash = new URLSearchParams(window.location.hash.slice(1));
    const query = new URLSearchParams(window.location.search);
    return hash.get("error_description") ?? query.get("error_description");
  });

  useEffect(() => {
    const query = new URLSearchParams(window.location.search);
    const tokenHash = query.get("token_hash");
    const type = query.get("type") as LinkType | null;
    if (!tokenHash || !type) return;
    client.auth.verifyEmailLink({ tokenHash, type }).then((result) => result.error && setError(result.error.message));
  }, [client]);

  if (error)
    return (
      <AuthCard title="This link did not work" footer={<Link to="/sign-in">Back to sign in</Link>}>
        <ErrorMessage error={new Error(error)} />
        <p>Links expire and work once. Request a new one from the sign-in page.</p>
      </AuthCard>
    );
  if (session)
    return <Navigate to={new URLSearchParams(window.location.hash.slice(1)).get("type") === "recovery" ? "/reset-password" : "/"} />;
  return (
    <AuthCard title="Confirming…">
      <Loading label={loading ? "Reading the link…" : "Signing you in…"} />
    </AuthCard>
  );
}
