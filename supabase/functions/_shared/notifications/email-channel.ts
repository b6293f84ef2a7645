// Email through Resend's SDK. Locally RESEND_BASE_URL points the SDK at the stack's inbox, which
// speaks the same API; in production it is unset and mail goes to Resend. Each delivery sends
// with an idempotency key, so a delivery retried after a crash (or a lost answer) is one email.
import { Resend } from "npm:resend@6";
import type { NotificationEnv } from "./env.ts";
import { renderEmail } from "./render.ts";
import { type ClaimedDelivery, failed, type Outcome, sent } from "./types.ts";
import { signUnsubscribeToken } from "./unsubscribe-token.ts";
import { withTimeout } from "./with-timeout.ts";

const UNSUBSCRIBE_LIFETIME_SECONDS = 60 * 24 * 3600;
/** Resend answers these when waiting and trying again can succeed. */
const RETRYABLE_STATUS = new Set([408, 409, 429, 500, 502, 503, 504]);

export function createEmailChannel(env: NotificationEnv) {
  const resend = env.RESEND_API_KEY ? new Resend(env.RESEND_API_KEY) : null;
  const unsubscribeBase = `${env.SUPABASE_URL}/functions/v1/notification-unsubscribe`;

  return async function deliverEmail(delivery: ClaimedDelivery): Promise<Outcome> {
    if (!resend) return failed("RESEND_API_KEY is not set", false);
    if (!delivery.email) return failed("recipient has no email address", false);
    // Security notices cannot be unsubscribed from, so they carry no link.
    // The link expires a fixed time after the event, so a retried send is byte for byte the same
    // email and Resend's idempotency key recognises it.
    const expiresAt = Math.floor(Date.parse(delivery.events[0]?.created_at ?? "") / 1000) + UNSUBSCRIBE_LIFETIME_SECONDS;
    const token = delivery.mandatory
      ? null
      : await signUnsubscribeToken(env.unsubscribeSecret, delivery.user_id, delivery.category, expiresAt);
    const oneClickUrl = token ? `${unsubscribeBase}?token=${token}` : null;
    const pageUrl = token ? new URL(`/unsubscribe?token=${token}`, env.NOTIFICATIONS_SITE_URL).href : null;
    const email = renderEmail(delivery, env.NOTIFICATIONS_SITE_URL, pageUrl);
    const headers: Record<string, string> = oneClickUrl
      ? { "List-Unsubscribe": `<${oneClickUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
      : {};
    try {
      const { data, error } = await withTimeout(
        resend.emails.send(
          {
            from: env.NOTIFICATIONS_FROM,
            to: delivery.email,
            subject: email.subject,
            html: email.html,
            text: email.text,
            headers,
            tags: [{ name: "category", value: delivery.category.replace(/[^A-Za-z0-9_-]/g, "_") }],
          },
          { idempotencyKey: `notification-delivery-${delivery.id}` },
        ),
        env.NOTIFICATIONS_SEND_TIMEOUT_MS,
      );
      // The key was used for a different payload (a digest that grew since a crashed attempt): that
      // delivery's email already went out.
      if (error?.name === "invalid_idempotent_request") return sent("already sent under this idempotency key");
      if (error) {
        const status = (error as { statusCode?: number | null }).statusCode ?? null;
        const retryable = status === null || RETRYABLE_STATUS.has(status);
        return failed(`resend ${status ?? "network"} ${error.name}: ${error.message}`, retryable);
      }
      return sent(`resend id ${data?.id ?? "?"}`);
    } catch (error) {
      return failed(`resend: ${(error as Error).message}`, true);
    }
  };
}
