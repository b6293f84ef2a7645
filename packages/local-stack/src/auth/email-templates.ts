// The emails Auth sends, rendered from Supabase's template variables ({{ .ConfirmationURL }},
// {{ .Token }}, {{ .TokenHash }}, {{ .SiteURL }}, {{ .RedirectTo }}, {{ .Email }}, {{ .NewEmail }},
// {{ .Data.key }}). `[auth.email.template.<kind>]` subject / content_path override the defaults.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { AuthSettings } from "./settings.ts";

export type EmailKind = "confirmation" | "invite" | "recovery" | "magic_link" | "email_change" | "reauthentication";

export interface TemplateVariables {
  ConfirmationURL?: string;
  Token?: string;
  TokenHash?: string;
  SiteURL: string;
  RedirectTo?: string;
  Email: string;
  NewEmail?: string;
  SendingTo?: string;
  Data: Record<string, unknown>;
}

const codeLine = "<p>Or enter this code: <strong>{{ .Token }}</strong></p>";

// Supabase's default subjects; bodies keep its wording, plus the one-time code where one exists.
const defaults: Record<EmailKind, { subject: string; content: string }> = {
  confirmation: {
    subject: "Confirm your email address",
    content: `<h2>Confirm your signup</h2><p>Follow this link to confirm your user:</p><p><a href="{{ .ConfirmationURL }}">Confirm your mail</a></p>${codeLine}`,
  },
  invite: {
    subject: "You've been invited",
    content: `<h2>You have been invited</h2><p>You have been invited to create a user on {{ .SiteURL }}. Follow this link to accept the invite:</p><p><a href="{{ .ConfirmationURL }}">Accept the invite</a></p>${codeLine}`,
  },
  recovery: {
    subject: "Reset your password",
    content: `<h2>Reset Password</h2><p>Follow this link to reset the password for your user:</p><p><a href="{{ .ConfirmationURL }}">Reset Password</a></p>${codeLine}`,
  },
  magic_link: {
    subject: "Your sign-in link",
    content: `<h2>Magic Link</h2><p>Follow this link to login:</p><p><a href="{{ .ConfirmationURL }}">Log In</a></p>${codeLine}`,
  },
  email_change: {
    subject: "Confirm your new email address",
    content: `<h2>Confirm Change of Email</h2><p>Follow this link to confirm the update of your email from {{ .Email }} to {{ .NewEmail }}:</p><p><a href="{{ .ConfirmationURL }}">Change Email</a></p>${codeLine}`,
  },
  reauthentication: {
    subject: "{{ .Token }} is your verification code",
    content: "<h2>Confirm reauthentication</h2><p>Enter the code: {{ .Token }}</p>",
  },
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function lookup(variables: TemplateVariables, path: string[]): string {
  let value: unknown = variables;
  for (const key of path) value = value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value == null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Substitutes `{{ .Name }}` / `{{ .Data.key }}`; values are HTML-escaped as Go's html/template does. */
export function renderTemplate(template: string, variables: TemplateVariables, asHtml = true): string {
  return template.replace(/\{\{\s*\.([A-Za-z_][\w.]*)\s*\}\}/g, (_, path: string) => {
    const value = lookup(variables, path.split("."));
    return asHtml ? escapeHtml(value) : value;
  });
}

/** Plain-text alternative: links become "text (url)", tags go. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a [^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/gi, "$2 ($1)")
    .replace(/<\/(p|h\d|div|li)>/gi, "\n")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

export interface TemplateSource {
  subject: string;
  content: string;
}

/** Loads each kind's template once: config overrides (content_path relative to supabase/) or the defaults. */
export function loadTemplates(settings: Pick<AuthSettings, "email" | "supabaseDir">): Record<EmailKind, TemplateSource> {
  const out = {} as Record<EmailKind, TemplateSource>;
  for (const kind of Object.keys(defaults) as EmailKind[]) {
    const override = settings.email.templates[kind] ?? {};
    let content = override.content ?? defaults[kind].content;
    if (override.contentPath) content = readFileSync(resolve(settings.supabaseDir, override.contentPath), "utf8");
    out[kind] = { subject: override.subject || defaults[kind].subject, content };
  }
  return out;
}
