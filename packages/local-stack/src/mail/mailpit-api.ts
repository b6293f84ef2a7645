// The few Mailpit endpoints Supabase's local mail catcher offers (`supabase start` runs Mailpit on
// the same port), so tests written against `supabase start` read this inbox unchanged:
// GET /api/v1/messages, GET /api/v1/search?query=to:"a@b.c", GET /api/v1/message/{ID|latest},
// DELETE /api/v1/messages.
import { addressOf, displayNameOf, type MessageStore, type StoredMessage } from "./message-store.ts";

const mailbox = (value: string) => ({ Name: displayNameOf(value), Address: addressOf(value) });

function summary(message: StoredMessage) {
  return {
    ID: message.id,
    MessageID: message.id,
    From: mailbox(message.from),
    To: message.to.map(mailbox),
    Cc: message.cc.map(mailbox),
    Bcc: message.bcc.map(mailbox),
    Subject: message.subject,
    Created: message.created_at,
    Snippet: message.text.slice(0, 250),
    Read: false,
  };
}

function listing(messages: StoredMessage[], total: number) {
  return {
    total,
    unread: messages.length,
    count: messages.length,
    messages_count: messages.length,
    start: 0,
    tags: [],
    messages: messages.map(summary),
  };
}

/** `to:"a@b.c"` or `to:a@b.c` -> the address; other queries match nothing but plain text in subjects. */
function searchTo(query: string): { to?: string; text?: string } {
  const match = /to:"?([^"\s]+)"?/i.exec(query);
  return match ? { to: match[1] } : { text: query.trim().toLowerCase() };
}

export function mailpitAnswer(store: MessageStore, method: string, path: string, url: URL): { status: number; body: unknown } | undefined {
  if (method === "GET" && path === "/api/v1/messages") {
    const all = store.list();
    return { status: 200, body: listing(all, all.length) };
  }
  if (method === "GET" && path === "/api/v1/search") {
    const { to, text } = searchTo(url.searchParams.get("query") ?? "");
    const found = to ? store.list({ to }) : store.list().filter((m) => m.subject.toLowerCase().includes(text ?? ""));
    return { status: 200, body: listing(found, store.list().length) };
  }
  const one = /^\/api\/v1\/message\/([^/]+)$/.exec(path);
  if (method === "GET" && one) {
    const message = one[1] === "latest" ? store.list()[0] : store.get(one[1]);
    if (!message) return { status: 404, body: "message not found" };
    return {
      status: 200,
      body: {
        ...summary(message),
        Date: message.created_at,
        Text: message.text,
        HTML: message.html,
        ReplyTo: message.reply_to.map(mailbox),
      },
    };
  }
  if (method === "DELETE" && path === "/api/v1/messages") {
    store.clear();
    return { status: 200, body: "ok" };
  }
  return undefined;
}
