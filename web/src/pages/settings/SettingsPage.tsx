// Account settings: password, privacy, two-step verification, sessions and activity history.
import { ActivitySection } from "./ActivitySection.tsx";
import { MfaSection } from "./MfaSection.tsx";
import { PasswordSection } from "./PasswordSection.tsx";
import { PrivacySection } from "./PrivacySection.tsx";
import { SessionsSection } from "./SessionsSection.tsx";

export function SettingsPage() {
  return (
    <div className="page narrow">
      <h1>Settings</h1>
      <PasswordSection />
      <PrivacySection />
      <MfaSection />
      <SessionsSection />
      <ActivitySection />
    </div>
  );
}
