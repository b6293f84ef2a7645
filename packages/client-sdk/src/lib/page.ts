// Cursor pagination: a page of items and the cursor to pass for the next (older) page.
import { z } from "zod";

export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to fetch the next page; null when this was the last one. */
  nextCursor: string | null;
}

export const pageInput = z.object({
  limit: z.number().int().min(1).max(100).default(30),
  cursor: z.string().min(1).nullish(),
});
export type PageInput = z.input<typeof pageInput>;

/** Fetch `limit + 1` rows; the extra one only tells whether another page exists. */
export function toPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}
