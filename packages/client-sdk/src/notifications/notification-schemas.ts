// zod schemas for notification inputs, mirroring the database's checks.
import { z } from "zod";

export const notificationId = z.number().int().positive();
export const notificationChannel = z.enum(["in_app", "email", "push"]);

export const listNotificationsInput = z.object({
  /** `inbox`: not archived (the default); `unread`: not read and not archived; `archived`. */
  filter: z.enum(["inbox", "unread", "archived"]).default("inbox"),
  limit: z.number().int().min(1).max(100).default(30),
  /** The `nextCursor` of the previous page: notifications older than it. */
  cursor: z.string().regex(/^\d+$/).nullish(),
});

const notificationIds = z.array(notificationId).min(1).max(100);
export const markNotificationsReadInput = z.object({ ids: notificationIds, read: z.boolean().default(true) });
export const archiveNotificationsInput = z.object({ ids: notificationIds, archived: z.boolean().default(true) });

export const preferenceInput = z.object({ type: z.string().min(1).max(100), channel: notificationChannel, enabled: z.boolean() });

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "Use HH:MM (24-hour)");
export const quietHoursInput = z
  .object({ start: localTime, end: localTime })
  .refine((hours) => hours.start.slice(0, 5) !== hours.end.slice(0, 5), "Quiet hours must start and end at different times")
  .nullable();

export const digestInput = z.number().int().min(0, "At least 0 seconds").max(86400, "At most a day (86400 seconds)");

/** A browser's PushSubscription.toJSON(), as `save_push_subscription` stores it. */
export const pushSubscriptionJson = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2048),
  keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{86,88}={0,2}$/), auth: z.string().regex(/^[A-Za-z0-9_-]{22,24}={0,2}$/) }),
});

export type ListNotificationsInput = z.input<typeof listNotificationsInput>;
export type MarkNotificationsReadInput = z.input<typeof markNotificationsReadInput>;
export type ArchiveNotificationsInput = z.input<typeof archiveNotificationsInput>;
export type PreferenceInput = z.input<typeof preferenceInput>;
export type QuietHoursInput = z.input<typeof quietHoursInput>;
export type PushSubscriptionJson = z.output<typeof pushSubscriptionJson>;
