// What each notification says, per type: one title/body/link used by the in-app row and the push
// message, and an email (subject, HTML, text) built from the same words. A digest folds several
// new-message events of one room into one email.
import type { ClaimedDelivery, QueuedEvent } from "./types.ts";

export interface Rendered {
  title: string;
  body: string;
  /** Path in the web app the notification points at. */
  path: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const text = (value: unknown, fallback = "") => (typeof value === "string" && value ? value : fallback);
const roomLabel = (payload: Record<string, unknown>) =>
  payload.room_kind === "direct" ? "your direct conversation" : `#${text(payload.room_name, "a room")}`;

export function renderEvent(event: Pick<QueuedEvent, "type" | "payload">): Rendered {
  const p = event.payload;
  const room = `/chat/${text(p.room_id)}`;
  switch (event.type) {
    case "welcome":
      return { title: "Welcome to basekit!", body: `Your email ${text(p.email)} is confirmed. You're all set.`, path: "/" };
    case "new_message":
      return { title: `${text(p.sender_name, "Someone")} in ${roomLabel(p)}`, body: text(p.body_preview), path: room };
    case "mention":
      return { title: `${text(p.sender_name, "Someone")} mentioned you in ${roomLabel(p)}`, body: text(p.body_preview), path: room };
    case "direct_conversation":
      return { title: `${text(p.actor_name, "Someone")} started a conversation with you`, body: "Say hello back.", path: room };
    case "room_added":
      return { title: `You were added to ${roomLabel(p)}`, body: `${text(p.actor_name, "Someone")} added you.`, path: room };
    case "file_ready":
      return { title: "Your file is ready", body: `${text(p.file_name)} has been processed.`, path: text(p.path, "/") };
    case "security.new_device":
      return {
        title: "New sign-in to your account",
        body: `A new device signed in${p.user_agent ? ` (${text(p.user_agent)})` : ""}${p.ip ? ` from ${text(p.ip)}` : ""}. If this wasn't you, change your password.`,
        path: "/settings",
      };
    case "security.password_changed":
      return { title: "Your password was changed", body: "If you didn't change it, reset your password now.", path: "/settings" };
    case "security.email_changed":
      return {
        title: "Your email address was changed",
        body: `Your account's email changed from ${text(p.old_email)} to ${text(p.new_email)}. If this wasn't you, contact support.`,
        path: "/settings",
      };
    case "security.mfa_enabled":
      return { title: "Two-factor authentication is on", body: "A second factor now protects your account.", path: "/settings" };
    case "security.mfa_disabled":
      return { title: "Two-factor authentication was turned off", body: "If this wasn't you, secure your account now.", path: "/settings" };
    default:
      return { title: event.type, body: "", path: "/" };
  }
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

export function renderEmail(delivery: ClaimedDelivery, siteUrl: string, unsubscribeUrl: string | null): RenderedEmail {
  const events = delivery.events.length
    ? delivery.events
    : [{ event_id: delivery.event_id, type: delivery.type, payload: delivery.payload, created_at: "" }];
  const first = renderEvent(events[0]);
  const link = new URL(first.path, siteUrl).href;
  const greeting = `Hi ${delivery.recipient_name ?? "there"},`;
  const digest = events.length > 1;
  const subject = digest ? `${events.length} new messages in ${roomLabel(events[0].payload)}` : first.title;
  const lines = digest
    ? events.map((event) => `${text(event.payload.sender_name, "Someone")}: ${text(event.payload.body_preview)}`)
    : [first.body];
  const footer = unsubscribeUrl ? `You get these emails for "${delivery.category}". Unsubscribe: ${unsubscribeUrl}` : "";
  const plain = [greeting, "", subject, ...lines, "", `Open: ${link}`, "", footer].join("\n").trim();
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<h2>${escapeHtml(subject)}</h2>`,
    ...lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    `<p><a href="${escapeHtml(link)}">Open basekit</a></p>`,
    unsubscribeUrl
      ? `<p style="color:#666;font-size:12px">You get these emails for "${escapeHtml(delivery.category)}". <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`
      : "",
  ].join("\n");
  return { subject, html, text: plain };
}
