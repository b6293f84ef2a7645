// Asks for an email and sends a link: a magic sign-in link, or a password-reset link.
import { useBasekit } from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Notice } from "../../components/Status.tsx";
import { useFormAction } from "./useFormAction.ts";

export function EmailLinkPage({ kind }: { kind: "magic-link" | "reset" }) {
  const client = useBasekit();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const action = useFormAction(() =>
    kind === "magic-link"
      ? client.auth.sendMagicLink({ email, redirectTo: `${window.location.origin}/auth/confirm` })
      : client.auth.requestPasswordReset({ email, redirectTo: `${window.location.origin}/reset-password` }),
  );
  const title = kind === "magic-link" ? "Sign in with a link" : "Reset your password";
  return (
    <AuthCard title={title} footer={<Link to="/sign-in">Back to sign in</Link>}>
      {sent ? (
        <Notice>If an account exists for {email}, a link is on its way. Open it on this device.</Notice>
      ) : (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (!(await action.run()).error) setSent(true);
          }}
        >
          <Field
            label="Email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            error={action.fieldError("email")}
          />
          {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
          <button type="submit" disabled={action.pending}>
            {action.pending ? "Sending…" : kind === "magic-link" ? "Email me a link" : "Email me a reset link"}
          </button>
        </form>
      )}
    </AuthCard>
  );
}
