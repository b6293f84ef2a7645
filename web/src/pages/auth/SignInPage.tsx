// Sign in with email and password; on to the MFA step when the account has a verified factor.
import { useBasekit } from "@basekit/client-sdk/react";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage } from "../../components/Status.tsx";
import { useFormAction } from "./useFormAction.ts";

export function SignInPage() {
  const client = useBasekit();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const action = useFormAction(() => client.auth.signInWithPassword({ email, password }));
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          <Link to="/magic-link">Email me a sign-in link</Link>
          <Link to="/forgot-password">Forgot your password?</Link>
          <span>
            New here? <Link to="/sign-up">Create an account</Link>
          </span>
        </>
      }
    >
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if ((await action.run()).error) return;
          const level = await client.auth.mfa.getAssuranceLevel();
          navigate({ to: level.data?.next === "aal2" && level.data.current === "aal1" ? "/mfa" : "/" });
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
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={action.fieldError("password")}
        />
        {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
        <button type="submit" disabled={action.pending}>
          {action.pending ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthCard>
  );
}
