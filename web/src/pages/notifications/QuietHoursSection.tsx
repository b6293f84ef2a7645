// Quiet hours (email and push wait until they end; in-app stays silent) and the email digest window.
import { useMyProfile, useNotificationSettings, useSetDigestSeconds, useSetQuietHours } from "@basekit/client-sdk/react";
import { type FormEvent, useState } from "react";
import { ErrorMessage, Notice } from "../../components/Status.tsx";

const DIGESTS = [
  { seconds: 0, label: "Send each message at once" },
  { seconds: 300, label: "Bundle messages from 5 minutes" },
  { seconds: 3600, label: "Bundle messages from an hour" },
];

export function QuietHoursSection() {
  const settings = useNotificationSettings();
  const profile = useMyProfile();
  const setQuietHours = useSetQuietHours();
  const setDigest = useSetDigestSeconds();
  const [edited, setEdited] = useState<{ start: string; end: string } | null>(null);
  const saved = { start: settings.data?.quiet_hours_start?.slice(0, 5) ?? "", end: settings.data?.quiet_hours_end?.slice(0, 5) ?? "" };
  const hours = edited ?? saved;

  function save(event: FormEvent) {
    event.preventDefault();
    setQuietHours.mutate(hours.start && hours.end ? hours : null, { onSuccess: () => setEdited(null) });
  }

  return (
    <section className="card" aria-labelledby="quiet-title">
      <h2 id="quiet-title">Quiet hours</h2>
      <p className="hint">
        Email and push wait until quiet hours end ({profile.data?.timezone ?? "your time zone"}); security notices still come at once.
      </p>
      <form onSubmit={save} className="row">
        <div className="field">
          <label htmlFor="quiet-start">From</label>
          <input id="quiet-start" type="time" value={hours.start} onChange={(e) => setEdited({ ...hours, start: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="quiet-end">Until</label>
          <input id="quiet-end" type="time" value={hours.end} onChange={(e) => setEdited({ ...hours, end: e.target.value })} />
        </div>
        <button type="submit" disabled={setQuietHours.isPending}>
          Save quiet hours
        </button>
        {saved.start ? (
          <button type="button" className="secondary" onClick={() => setQuietHours.mutate(null, { onSuccess: () => setEdited(null) })}>
            Turn off
          </button>
        ) : null}
      </form>
      {setQuietHours.isSuccess ? <Notice>Quiet hours saved.</Notice> : null}
      <ErrorMessage error={settings.error ?? setQuietHours.error} />
      <div className="field">
        <label htmlFor="digest">New message emails</label>
        <select
          id="digest"
          value={settings.data?.email_digest_seconds ?? 300}
          onChange={(e) => setDigest.mutate(Number(e.target.value))}
          disabled={!settings.data}
        >
          {DIGESTS.map((digest) => (
            <option key={digest.seconds} value={digest.seconds}>
              {digest.label}
            </option>
          ))}
          {settings.data && !DIGESTS.some((d) => d.seconds === settings.data.email_digest_seconds) ? (
            <option value={settings.data.email_digest_seconds}>Bundle messages from {settings.data.email_digest_seconds} seconds</option>
          ) : null}
        </select>
      </div>
      <ErrorMessage error={setDigest.error} />
    </section>
  );
}
