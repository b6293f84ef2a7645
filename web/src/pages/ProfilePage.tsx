// Edit the signed-in user's public profile.
import { useMyProfile, useUpdateProfile } from "@basekit/client-sdk/react";
import { useEffect, useState } from "react";
import { Field } from "../components/Field.tsx";
import { ErrorMessage, Loading, Notice } from "../components/Status.tsx";

export function ProfilePage() {
  const profile = useMyProfile();
  const update = useUpdateProfile();
  const [form, setForm] = useState({ username: "", display_name: "", bio: "", timezone: "UTC", locale: "en" });
  useEffect(() => {
    if (profile.data)
      setForm({
        username: profile.data.username,
        display_name: profile.data.display_name,
        bio: profile.data.bio ?? "",
        timezone: profile.data.timezone,
        locale: profile.data.locale,
      });
  }, [profile.data]);
  if (profile.isPending) return <Loading />;
  if (profile.error) return <ErrorMessage error={profile.error} />;
  // A unique violation on update can only be the username: say so on its field, not as a raw database error.
  const usernameTaken = (update.error as { code?: string } | null)?.code === "conflict";
  const issue = (path: string) =>
    path === "username" && usernameTaken
      ? "This username is already taken."
      : (update.error as { issues?: { path: string; message: string }[] } | null)?.issues?.find((i) => i.path === path)?.message;
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value });
  return (
    <div className="page narrow">
      <h1>Profile</h1>
      <form
        className="card"
        onSubmit={(event) => {
          event.preventDefault();
          update.mutate({ ...form, bio: form.bio || null });
        }}
      >
        <Field label="Display name" value={form.display_name} onChange={set("display_name")} required error={issue("display_name")} />
        <Field
          label="Username"
          value={form.username}
          onChange={set("username")}
          required
          hint="3–30 letters, digits or underscores."
          error={issue("username")}
        />
        <div className="field">
          <label htmlFor="bio">Bio</label>
          <textarea id="bio" value={form.bio} maxLength={500} rows={4} onChange={set("bio")} />
        </div>
        <Field
          label="Time zone"
          value={form.timezone}
          onChange={set("timezone")}
          hint="For example Europe/Paris."
          error={issue("timezone")}
        />
        <Field label="Language" value={form.locale} onChange={set("locale")} hint="For example en or fr-CA." error={issue("locale")} />
        {update.error && !("issues" in update.error) && !usernameTaken ? <ErrorMessage error={update.error} /> : null}
        {update.isSuccess ? <Notice>Profile saved.</Notice> : null}
        <button type="submit" disabled={update.isPending}>
          {update.isPending ? "Saving…" : "Save profile"}
        </button>
      </form>
    </div>
  );
}
