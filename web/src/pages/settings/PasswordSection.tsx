// Change the password of the signed-in account.
import { basekitKeys, useBasekit } from "@basekit/client-sdk/react";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Notice } from "../../components/Status.tsx";
import { useFormAction } from "../auth/useFormAction.ts";

export function PasswordSection() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [saved, setSaved] = useState(false);
  const action = useFormAction(() => client.auth.updatePassword({ password }));
  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <form
        onSubmit={async (event) => {
          event.preventDefault();
          const changed = !(await action.run()).error;
          setSaved(changed);
          setPassword("");
          // The change is logged in the activity history below.
          if (changed) queryClient.invalidateQueries({ queryKey: basekitKeys.activity() });
        }}
      >
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          error={action.fieldError("password")}
        />
        {action.error && !("issues" in action.error) ? <ErrorMessage error={action.error} /> : null}
        {saved ? <Notice>Password changed.</Notice> : null}
        <button type="submit" disabled={action.pending}>
          Change password
        </button>
      </form>
    </section>
  );
}
