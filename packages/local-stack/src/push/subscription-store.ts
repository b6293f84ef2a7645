// What the local push receiver holds in memory: the subscriptions it handed out (with the
// browser-side keys needed to decrypt) and the messages pushed to them, newest first, bounded.
import { createECDH, type ECDH, randomBytes, randomUUID } from "node:crypto";

const MAX_MESSAGES = 2000;
const MAX_SUBSCRIPTIONS = 10000;

export interface ReceiverSubscription {
  id: string;
  ecdh: ECDH;
  authSecret: Buffer;
  /** The VAPID public key the subscriber named (applicationServerKey), if any. */
  applicationServerKey: string | null;
  createdAt: string;
  unsubscribed: boolean;
}

export interface ReceivedPush {
  id: string;
  subscription_id: string;
  endpoint: string;
  received_at: string;
  ttl: number;
  urgency: string;
  topic: string | null;
  vapid_subject: string | null;
  /** The decrypted payload as text, or null when there was none or it could not be decrypted. */
  text: string | null;
  /** The payload parsed as JSON when it is JSON. */
  json: unknown;
  decrypt_error: string | null;
}

export class SubscriptionStore {
  private readonly subscriptions = new Map<string, ReceiverSubscription>();
  private messages: ReceivedPush[] = [];

  subscribe(applicationServerKey: string | null): ReceiverSubscription {
    if (this.subscriptions.size >= MAX_SUBSCRIPTIONS) {
      const oldest = this.subscriptions.keys().next().value;
      if (oldest) this.subscriptions.delete(oldest);
    }
    const ecdh = createECDH("prime256v1");
    ecdh.generateKeys();
    const subscription: ReceiverSubscription = {
      id: randomUUID(),
      ecdh,
      authSecret: randomBytes(16),
      applicationServerKey,
      createdAt: new Date().toISOString(),
      unsubscribed: false,
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  get(id: string): ReceiverSubscription | undefined {
    return this.subscriptions.get(id);
  }

  unsubscribe(id: string): boolean {
    const subscription = this.subscriptions.get(id);
    if (!subscription || subscription.unsubscribed) return false;
    subscription.unsubscribed = true;
    return true;
  }

  /** A message with the topic of one still held replaces it (RFC 8030 5.4), as a push service does before delivery. */
  add(message: Omit<ReceivedPush, "id">): ReceivedPush {
    const stored = { id: randomUUID(), ...message };
    if (message.topic)
      this.messages = this.messages.filter((m) => !(m.subscription_id === message.subscription_id && m.topic === message.topic));
    this.messages.unshift(stored);
    if (this.messages.length > MAX_MESSAGES) this.messages.length = MAX_MESSAGES;
    return stored;
  }

  list(filter: { endpoint?: string } = {}): ReceivedPush[] {
    return filter.endpoint ? this.messages.filter((m) => m.endpoint === filter.endpoint) : [...this.messages];
  }

  clear(filter: { endpoint?: string } = {}): number {
    const before = this.messages.length;
    this.messages = filter.endpoint ? this.messages.filter((m) => m.endpoint !== filter.endpoint) : [];
    return before - this.messages.length;
  }
}
