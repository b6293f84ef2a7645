// The shapes the queue functions (claim_notification_deliveries / complete_notification_deliveries)
// exchange with the processor.

export type Channel = "in_app" | "email" | "push";

export interface QueuedEvent {
  event_id: number;
  type: string;
  payload: Record<string, unknown>;
  created_at: string;
}

export interface PushSubscriptionRow {
  id: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One claimed delivery; a digest email holds several queue ids and events. */
export interface ClaimedDelivery {
  id: number;
  ids: number[];
  channel: Channel;
  user_id: string;
  type: string;
  category: string;
  /** Security notices: no unsubscribe link, preferences do not apply. */
  mandatory: boolean;
  attempt: number;
  event_id: number;
  payload: Record<string, unknown>;
  events: QueuedEvent[];
  email: string | null;
  recipient_name: string | null;
  push_subscriptions: PushSubscriptionRow[] | null;
}

export interface InAppContent {
  title: string;
  body: string;
  data: Record<string, unknown>;
}

/** What happened to one delivery. `retryable` failures come back after a backoff, others are dead letters. */
export type Outcome =
  | { status: "sent"; reason: string; in_app?: InAppContent }
  | { status: "suppressed"; reason: string }
  | { status: "failed"; reason: string; retryable: boolean };

export interface DeliveryResult {
  id: number;
  status: Outcome["status"];
  reason: string;
  retryable?: boolean;
  in_app?: InAppContent;
}

export const sent = (reason: string, in_app?: InAppContent): Outcome => ({ status: "sent", reason, in_app });
export const suppressed = (reason: string): Outcome => ({ status: "suppressed", reason });
export const failed = (reason: string, retryable: boolean): Outcome => ({ status: "failed", reason, retryable });
