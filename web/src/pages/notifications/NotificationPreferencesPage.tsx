// Notification settings: each type on or off per channel, quiet hours, the email digest window,
// muted conversations and push on this browser.
import {
  useNotificationPreferences,
  useNotificationSettings,
  useNotificationTypes,
  useSetNotificationPreference,
} from "@basekit/client-sdk/react";
import { ErrorMessage, Loading } from "../../components/Status.tsx";
import { MutedRoomsSection } from "./MutedRoomsSection.tsx";
import { PushSection } from "./PushSection.tsx";
import { QuietHoursSection } from "./QuietHoursSection.tsx";

const CHANNELS = [
  { value: "in_app", label: "In app" },
  { value: "email", label: "Email" },
  { value: "push", label: "Push" },
] as const;

export function NotificationPreferencesPage() {
  return (
    <div className="page narrow">
      <h1>Notification settings</h1>
      <TypesSection />
      <QuietHoursSection />
      <MutedRoomsSection />
      <PushSection />
    </div>
  );
}

function TypesSection() {
  const types = useNotificationTypes();
  const preferences = useNotificationPreferences();
  const settings = useNotificationSettings();
  const set = useSetNotificationPreference();
  const enabled = (type: string, channel: string) =>
    preferences.data?.find((row) => row.type === type && row.channel === channel)?.enabled ?? true;
  return (
    <section className="card" aria-labelledby="types-title">
      <h2 id="types-title">What you hear about</h2>
      {types.isPending || preferences.isPending || settings.isPending ? <Loading /> : null}
      <ErrorMessage error={types.error ?? preferences.error ?? set.error} />
      {types.data && preferences.data ? (
        <table className="preferences">
          <thead>
            <tr>
              <th scope="col">Notification</th>
              {CHANNELS.map((channel) => (
                <th key={channel.value} scope="col">
                  {channel.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {types.data.map((type) => (
              <tr key={type.type}>
                <th scope="row">
                  {type.description}
                  {type.mandatory ? <span className="hint"> (always sent)</span> : null}
                </th>
                {CHANNELS.map((channel) => (
                  <td key={channel.value}>
                    {type.channels.includes(channel.value) ? (
                      <input
                        type="checkbox"
                        aria-label={`${type.description}: ${channel.label}`}
                        checked={type.mandatory || enabled(type.type, channel.value)}
                        disabled={type.mandatory || set.isPending}
                        onChange={(event) => set.mutate({ type: type.type, channel: channel.value, enabled: event.target.checked })}
                      />
                    ) : (
                      <span className="visually-hidden">not available</span>
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
