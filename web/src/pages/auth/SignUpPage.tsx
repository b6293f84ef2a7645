// Create an account; the confirmation link arrives by email and lands on /auth/confirm.
import { useBasekit } from "@basekit/client-sdk/react";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Notice } from "../../components/Status.tsx";
import { useFormAction } from "./useFormAction.ts";

export function SignUpPage() {
  const client = useBasekit();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState<"confirm" | "signed-in" | null>(null);
  const action = useFormAction(() =>
    client.auth.signUp({ email, password, displayName: displayName || undefined, redirectTo: `${window.location.origin}/auth/confirm` }),
  );
  if (done)
    return (
      <AuthCard title="Check your inbox" footer={<Link to="/sign-in">Back to sign in</Link>}>
        <Notice>
          {done === "confirm"
            ? `We sent a confirmation link to ${email}. Open it to finish creating your account.`
            : "Your account is ready."}
        </Notice>
      </AuthCard>
    );
  return (
    <AuthCard
      title="Create your account"
      footer={
        <span>
          Already registered? <Link to="/sign-in">Sign in</Link>
        </span>
      }
    >
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const result = await action.run();
          if (!result.error) setDone(result.data.session ? "signed-in" : "confirm");
        }}
      >
        <Field
          label="Display name"
          autoComplete="name"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={action.fieldError("displayName")}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={action.fieldError("email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          required
          hint="At least 8 characters, with lower- and upper-case letters and a digit."
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={action.fieldError("password")}
        />
        {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
        <button type="submit" disabled={action.pending}>
          {action.pending ? "Creating…" : "Create account"}
        </button>
      </form>
    </AuthCard>
  );
}
