// Two-step verification with an authenticator app: enrol (scan the QR code, confirm a code), remove.
import type { TotpEnrollment } from "@basekit/client-sdk";
import { basekitKeys, useBasekit, useMfaFactors } from "@basekit/client-sdk/react";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Field } from "../../components/Field.tsx";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { useFormAction } from "../auth/useFormAction.ts";

export function MfaSection() {
  const client = useBasekit();
  const queryClient = useQueryClient();
  const factors = useMfaFactors();
  const [enrollment, setEnrollment] = useState<TotpEnrollment | null>(null);
  const [code, setCode] = useState("");
  const enroll = useFormAction(() => client.auth.mfa.enrollTotp({ friendlyName: `Authenticator ${new Date().toLocaleDateString()}` }));
  const verify = useFormAction(() => client.auth.mfa.verifyTotp({ factorId: enrollment?.id ?? "", code }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: basekitKeys.mfaFactors() });
  const verified = factors.data?.filter((f) => f.status === "verified") ?? [];
  return (
    <section className="card" aria-labelledby="mfa-title">
      <h2 id="mfa-title">Two-step verification</h2>
      {factors.isPending ? <Loading /> : <ErrorMessage error={factors.error} />}
      <ul>
        {verified.map((factor) => (
          <li key={factor.id}>
            {factor.friendly_name ?? "Authenticator app"}{" "}
            <button type="button" className="secondary" onClick={async () => (await client.auth.mfa.unenroll(factor.id), refresh())}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      {enrollment ? (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            if (!(await verify.run()).error) {
              setEnrollment(null);
              setCode("");
              refresh();
            }
          }}
        >
          <p>Scan this code with your authenticator app, or enter the secret by hand.</p>
          <img src={enrollment.totp.qr_code} alt="QR code for your authenticator app" width={180} height={180} />
          <p>
            Secret: <code>{enrollment.totp.secret}</code>
          </p>
          <Field
            label="6-digit code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value.trim())}
            error={verify.fieldError("code")}
          />
          {verify.error && !("issues" in verify.error) ? <ErrorMessage error={verify.error} /> : null}
          <button type="submit" disabled={verify.pending}>
            Confirm
          </button>
        </form>
      ) : (
        <>
          <p>{verified.length ? "Two-step verification is on." : "Protect your account with a code from an authenticator app."}</p>
          <ErrorMessage error={enroll.error} />
          <button
            type="button"
            disabled={enroll.pending}
            onClick={async () => {
              const result = await enroll.run();
              if (!result.error) setEnrollment(result.data);
            }}
          >
            Set up an authenticator app
          </button>
        </>
      )}
    </section>
  );
}
