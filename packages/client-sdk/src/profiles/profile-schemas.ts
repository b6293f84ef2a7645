// zod schemas for profile inputs, mirroring the table's checks so bad input fails before sending.
import { z } from "zod";

export const usernameSchema = z.string().regex(/^[A-Za-z0-9_]{3,30}$/, "3-30 letters, digits or underscores");

export const profileUpdateInput = z
  .object({
    username: usernameSchema,
    display_name: z.string().trim().min(1).max(80),
    avatar_path: z.string().min(1).max(1024).nullable(),
    bio: z.string().max(500).nullable(),
    timezone: z.string().min(1).max(64),
    locale: z.string().regex(/^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$/, "A language tag such as en or fr-CA"),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "Nothing to update");

export const profileSearchInput = z.object({
  query: z.string().trim().min(1).max(80),
  limit: z.number().int().min(1).max(50).default(10),
});

export type ProfileUpdateInput = z.input<typeof profileUpdateInput>;
export type ProfileSearchInput = z.input<typeof profileSearchInput>;
