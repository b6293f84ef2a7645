// Who may message me, and whether others see my online status and read receipts.
import { useSettings, useUpdateSettings } from "@basekit/client-sdk/react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";

export function PrivacySection() {
  const settings = useSettings();
  const update = useUpdateSettings();
  return (
    <section className="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy</h2>
      {settings.isPending ? <Loading /> : settings.error ? <ErrorMessage error={settings.error} /> : null}
      {settings.data ? (
        <>
          <div className="field">
            <label htmlFor="allow-messages">Who can message you</label>
            <select
              id="allow-messages"
              value={settings.data.allow_messages_from}
              onChange={(e) => update.mutate({ allow_messages_from: e.target.value as "everyone" | "shared_rooms" | "nobody" })}
            >
              <option value="everyone">Everyone</option>
              <option value="shared_rooms">People I share a conversation with</option>
              <option value="nobody">Nobody</option>
            </select>
          </div>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.data.show_online_status}
              onChange={(e) => update.mutate({ show_online_status: e.target.checked })}
            />
            Show when I am online
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={settings.data.show_read_receipts}
              onChange={(e) => update.mutate({ show_read_receipts: e.target.checked })}
            />
            Send read receipts
          </label>
          <ErrorMessage error={update.error} />
        </>
      ) : null}
    </section>
  );
}
