// Second step of sign-in for accounts with an authenticator app: enter the current 6-digit code.
import { useBasekit, useMfaFactors } from "@basekit/client-sdk/react";
import { useNavigate } from "@tanstack/react-router";
import { useState } from "react";
import { AuthCard } from "../../components/AuthCard.tsx";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { useFormAction } from "./useFormAction.ts";

export function MfaChallengePage() {
  const client = useBasekit();
  const navigate = useNavigate();
  const factors = useMfaFactors();
  const [code, setCode] = useState("");
  const factor = factors.data?.find((f) => f.factor_type === "totp" && f.status === "verified");
  const action = useFormAction(() => client.auth.mfa.verifyTotp({ factorId: factor?.id ?? "", code }));
  if (factors.isPending) return <Loading />;
  return (
    <AuthCard title="Two-step verification">
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          if (!(await action.run()).error) navigate({ to: "/" });
        }}
      >
        <Field
          label="Code from your authenticator app"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          required
          value={code}
          onChange={(e) => setCode(e.target.value.trim())}
          error={action.fieldError("code")}
        />
        {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
        <button type="submit" disabled={action.pending || !factor}>
          Verify
        </button>
      </form>
    </AuthCard>
  );
}
