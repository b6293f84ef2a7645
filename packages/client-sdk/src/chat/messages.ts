// Messages: newest-first pages by cursor, send, edit, soft delete, reactions, read state, search.
import type { TablesInsert } from "../database.types.ts";
import { currentUserId } from "../lib/current-user.ts";
import type { Page } from "../lib/page.ts";
import { toPage } from "../lib/page.ts";
import { fromResponse } from "../lib/query-result.ts";
import { type BasekitResult, guard, ok } from "../lib/result.ts";
import type { BasekitSupabaseClient } from "../lib/supabase-client.ts";
import { validate } from "../lib/validate.ts";
import {
  type EditMessageInput,
  editMessageInput,
  type ListMessagesInput,
  listMessagesInput,
  type MarkReadInput,
  markReadInput,
  messageId,
  type ReactionInput,
  reactionInput,
  roomId,
  type SearchInput,
  type SendMessageInput,
  searchInput,
  sendMessageInput,
} from "./chat-schemas.ts";
import type { Message, MessageReaction } from "./chat-types.ts";

export function createMessagesApi(supabase: BasekitSupabaseClient) {
  const done = (result: BasekitResult<unknown>): BasekitResult<null> => (result.error ? result : ok(null));
  return {
    /** A page of a room's messages, newest first; pass `nextCursor` back as `cursor` for older ones. */
    list: (input: ListMessagesInput): Promise<BasekitResult<Page<Message>>> =>
      guard(async () => {
        const valid = validate(listMessagesInput, input);
        if (valid.error) return valid;
        const { roomId: room, limit, cursor } = valid.data;
        let query = supabase.from("messages").select("*").eq("room_id", room);
        if (cursor) query = query.lt("id", Number(cursor));
        const rows = fromResponse(await query.order("id", { ascending: false }).limit(limit + 1));
        if (rows.error) return rows;
        return ok(toPage(rows.data, limit, (row) => String(row.id)));
      }),

    send: (input: SendMessageInput): Promise<BasekitResult<Message>> =>
      guard(async () => {
        const valid = validate(sendMessageInput, input);
        if (valid.error) return valid;
        const { roomId: room_id, body, replyToId, attachments } = valid.data;
        return fromResponse(
          await supabase
            .from("messages")
            .insert({ room_id, body, reply_to_id: replyToId ?? null, attachments })
            .select("*")
            .single(),
        );
      }),

    /** Changes the text of one of the caller's own messages (sets `edited_at`). */
    edit: (input: EditMessageInput): Promise<BasekitResult<Message>> =>
      guard(async () => {
        const valid = validate(editMessageInput, input);
        if (valid.error) return valid;
        return fromResponse(
          await supabase.from("messages").update({ body: valid.data.body }).eq("id", valid.data.messageId).select("*").single(),
        );
      }),

    /** Soft-deletes a message (its sender, a group owner/admin, or a moderator); the row stays with an empty body. */
    delete: (id: number): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(messageId, id);
        if (valid.error) return valid;
        return done(fromResponse(await supabase.rpc("delete_message", { message_id: valid.data })));
      }),

    /** Every reaction in a room (for the messages on screen, group by message_id). */
    reactions: (room: string): Promise<BasekitResult<MessageReaction[]>> =>
      guard(async () => {
        const valid = validate(roomId, room);
        if (valid.error) return valid;
        return fromResponse(await supabase.from("message_reactions").select("*").eq("room_id", valid.data).order("created_at").limit(1000));
      }),

    react: (input: ReactionInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(reactionInput, input);
        if (valid.error) return valid;
        // room_id is filled in by the database from the message (users may not set it), so the
        // generated Insert type, which marks it required, is widened here.
        const row = { message_id: valid.data.messageId, emoji: valid.data.emoji } as TablesInsert<"message_reactions">;
        const result = fromResponse(await supabase.from("message_reactions").insert(row));
        // Reacting twice with the same emoji is not an error: the reaction is there.
        return result.error?.code === "conflict" ? ok(null) : done(result);
      }),

    unreact: (input: ReactionInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(reactionInput, input);
        if (valid.error) return valid;
        const me = await currentUserId(supabase);
        if (me.error) return me;
        return done(
          fromResponse(
            await supabase
              .from("message_reactions")
              .delete()
              .eq("message_id", valid.data.messageId)
              .eq("user_id", me.data)
              .eq("emoji", valid.data.emoji),
          ),
        );
      }),

    /** Moves the caller's read position to `upToMessageId` (default: the newest message). */
    markRead: (input: MarkReadInput): Promise<BasekitResult<null>> =>
      guard(async () => {
        const valid = validate(markReadInput, input);
        if (valid.error) return valid;
        const args = { room_id: valid.data.roomId, up_to_message_id: valid.data.upToMessageId ?? undefined };
        return done(fromResponse(await supabase.rpc("mark_room_read", args)));
      }),

    /** Full-text search over the messages the caller may read, newest first. */
    search: (input: SearchInput): Promise<BasekitResult<Message[]>> =>
      guard(async () => {
        const valid = validate(searchInput, input);
        if (valid.error) return valid;
        const { query, roomId: room, limit } = valid.data;
        return fromResponse(await supabase.rpc("search_messages", { query, room_id: room ?? undefined, max_results: limit }));
      }),
  };
}
