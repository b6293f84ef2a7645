// Choose a new password after opening a reset link (the link has signed the user in).
import { useBasekit, useSession } from "@basekit/client-sdk/react";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { useFormAction } from "./useFormAction.ts";

export function ResetPasswordPage() {
  const client = useBasekit();
  const navigate = useNavigate();
  const { session, loading } = useSession();
  const [password, setPassword] = useState("");
  const action = useFormAction(() => client.auth.updatePassword({ password }));
  if (loading) return <Loading />;
  if (!session)
    return (
      <AuthCard title="Reset link needed" footer={<Link to="/forgot-password">Request a reset link</Link>}>
        <p>Open the link from the password-reset email to choose a new password.</p>
      </AuthCard>
    );
  return (
    <AuthCard title="Choose a new password">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!(await action.run()).error) navigate({ to: "/" });
        }}
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={action.fieldError("password")}
        />
        {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
        <button type="submit" disabled={action.pending}>
          Save password
        </button>
      </form>
    </AuthCard>
  );
}
