// The inbox's memory: every message the stack sent, newest first, bounded so a long-running dev
// stack cannot grow without end. Messages live as long as the stack process.
import { randomUUID } from "node:crypto";

export interface StoredMessage {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  reply_to: string[];
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  created_at: string;
}

export type NewMessage = Omit<StoredMessage, "id" | "created_at">;

const MAX_MESSAGES = 5000;

export class MessageStore {
  private messages: StoredMessage[] = [];

  add(message: NewMessage): StoredMessage {
    const stored: StoredMessage = { ...message, id: randomUUID(), created_at: new Date().toISOString() };
    this.messages.unshift(stored);
    if (this.messages.length > MAX_MESSAGES) this.messages.length = MAX_MESSAGES;
    return stored;
  }

  /** Newest first; `to` matches any recipient (to, cc, bcc) case-insensitively. */
  list(filter: { to?: string } = {}): StoredMessage[] {
    const to = filter.to?.toLowerCase();
    if (!to) return [...this.messages];
    return this.messages.filter((m) => [...m.to, ...m.cc, ...m.bcc].some((address) => addressOf(address) === to));
  }

  get(id: string): StoredMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }

  delete(id: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => m.id !== id);
    return this.messages.length !== before;
  }

  /** Deletes every message, or those to one address. Returns how many went. */
  clear(filter: { to?: string } = {}): number {
    const doomed = new Set(this.list(filter).map((m) => m.id));
    this.messages = this.messages.filter((m) => !doomed.has(m.id));
    return doomed.size;
  }
}

/** `Name <a@b.c>` or `a@b.c` -> `a@b.c`, lower-cased. */
export function addressOf(mailbox: string): string {
  const match = /<([^>]+)>\s*$/.exec(mailbox);
  return (match ? match[1] : mailbox).trim().toLowerCase();
}

/** `Name <a@b.c>` -> `Name`, or "" when there is no display name. */
export function displayNameOf(mailbox: string): string {
  const match = /^\s*"?([^"<]*?)"?\s*<[^>]+>\s*$/.exec(mailbox);
  return match ? match[1].trim() : "";
}
