// The processor's configuration, validated once: Supabase's own variables plus the secrets set
// with `supabase secrets set` (or, locally, provided by the stack).
import { z } from "npm:zod@4";

const flag = z
  .enum(["true", "false"])
  .default("false")
  .transform((value) => value === "true");

const schema = z.object({
  SUPABASE_URL: z.string().url(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1),
  /** Resend's key; the SDK reads RESEND_BASE_URL itself (the local inbox's API when run locally). */
  RESEND_API_KEY: z.string().min(1).optional(),
  NOTIFICATIONS_FROM: z.string().min(3).default("basekit <notifications@basekit.local>"),
  /** The web app, for links in notifications. */
  NOTIFICATIONS_SITE_URL: z.string().url().default("http://127.0.0.1:5173"),
  /** Signs unsubscribe links; falls back to the service role key, which only the server has. */
  NOTIFICATIONS_UNSUBSCRIBE_SECRET: z.string().min(32).optional(),
  VAPID_PUBLIC_KEY: z.string().min(1).optional(),
  VAPID_PRIVATE_KEY: z.string().min(1).optional(),
  VAPID_SUBJECT: z.string().min(1).default("mailto:notifications@basekit.local"),
  /** Push services are HTTPS; the local push receiver is plain HTTP on loopback. */
  PUSH_ALLOW_HTTP_ENDPOINTS: flag,
  NOTIFICATIONS_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
});

export type NotificationEnv = z.infer<typeof schema> & { unsubscribeSecret: string };

export function readEnv(source: Record<string, string | undefined> = Deno.env.toObject()): NotificationEnv {
  const env = schema.parse(source);
  return { ...env, unsubscribeSecret: env.NOTIFICATIONS_UNSUBSCRIBE_SECRET ?? env.SUPABASE_SERVICE_ROLE_KEY };
}
