// zod schemas for chat inputs, mirroring the database's checks.
import { z } from "zod";

export const roomId = z.uuid("Not a room id");
export const userId = z.uuid("Not a user id");
export const messageId = z.number().int().positive();
export const roomRole = z.enum(["owner", "admin", "member"]);

export const createGroupInput = z.object({
  name: z.string().trim().min(1, "Give the group a name").max(100),
  topic: z.string().max(500).nullish(),
  memberIds: z.array(userId).max(100).default([]),
});
export const updateRoomInput = z.object({
  roomId,
  name: z.string().trim().min(1).max(100).optional(),
  topic: z.string().max(500).nullable().optional(),
});
export const memberInput = z.object({ roomId, userId, role: roomRole.default("member") });

const body = z
  .string()
  .max(4000, "Messages are at most 4000 characters")
  .refine((text) => /\S/.test(text), "Write something first");
export const attachment = z.object({ path: z.string().min(1), name: z.string().max(255).optional(), type: z.string().max(255).optional() });
export const sendMessageInput = z.object({
  roomId,
  body,
  replyToId: messageId.nullish(),
  attachments: z.array(attachment).max(10).default([]),
});
export const editMessageInput = z.object({ messageId, body });
export const listMessagesInput = z.object({
  roomId,
  limit: z.number().int().min(1).max(100).default(30),
  /** The `nextCursor` of the previous page: messages older than it. */
  cursor: z.string().regex(/^\d+$/).nullish(),
});
export const reactionInput = z.object({
  messageId,
  emoji: z
    .string()
    .min(1)
    .max(32)
    .refine((text) => !/\s/.test(text), "One emoji, no spaces"),
});
export const markReadInput = z.object({ roomId, upToMessageId: messageId.nullish() });
export const searchInput = z.object({
  query: z.string().trim().min(1, "Type something to search").max(200),
  roomId: roomId.nullish(),
  limit: z.number().int().min(1).max(200).default(50),
});

export type CreateGroupInput = z.input<typeof createGroupInput>;
export type UpdateRoomInput = z.input<typeof updateRoomInput>;
export type MemberInput = z.input<typeof memberInput>;
export type SendMessageInput = z.input<typeof sendMessageInput>;
export type EditMessageInput = z.input<typeof editMessageInput>;
export type ListMessagesInput = z.input<typeof listMessagesInput>;
export type ReactionInput = z.input<typeof reactionInput>;
export type MarkReadInput = z.input<typeof markReadInput>;
export type SearchInput = z.input<typeof searchInput>;
