// Where an email's unsubscribe link leads: no sign-in needed. Opening the page changes nothing
// (mail scanners open links); the button sends the signed token to notification-unsubscribe.

import { unwrap } from "@basekit/client-sdk";
import { useBasekit } from "@basekit/client-sdk/react";
import { useMutation } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { AuthCard } from "../components/AuthCard.tsx";
import { ErrorMessage, Notice } from "../components/Status.tsx";

export function UnsubscribePage() {
  const client = useBasekit();
  const token = new URLSearchParams(window.location.search).get("token") ?? "";
  const unsubscribe = useMutation({ mutationFn: async () => unwrap(await client.notifications.unsubscribeEmail(token)) });
  return (
    <AuthCard title="Unsubscribe">
      {unsubscribe.isSuccess ? (
        <Notice>
          You will no longer get {unsubscribe.data.unsubscribed} emails. You can turn them back on in your notification settings.
        </Notice>
      ) : (
        <>
          <p>Stop these emails? Security notices about your account are always sent.</p>
          <button type="button" onClick={() => unsubscribe.mutate()} disabled={unsubscribe.isPending || !token}>
            Unsubscribe
          </button>
        </>
      )}
      <ErrorMessage error={unsubscribe.error ?? (token ? null : new Error("This link has no unsubscribe token."))} />
      <p>
        <Link to="/settings/notifications">Notification settings</Link>
      </p>
    </AuthCard>
  );
}
