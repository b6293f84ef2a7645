// Writes and sends messages; tells the room you are typing; Enter sends, Shift+Enter adds a line.
import { useSendMessage } from "@basekit/client-sdk/react";
import { useState } from "react";
import { ErrorMessage } from "../../components/Status.tsx";

interface Props {
  roomId: string;
  replyTo: { id: number; body: string } | null;
  onClearReply(): void;
  onTyping(typing: boolean): void;
}

export function Composer({ roomId, replyTo, onClearReply, onTyping }: Props) {
  const send = useSendMessage(roomId);
  const [body, setBody] = useState("");
  const submit = () => {
    if (!body.trim()) return;
    send.mutate({ body, replyToId: replyTo?.id });
    setBody("");
    onClearReply();
    onTyping(false);
  };
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {replyTo ? (
        <p className="replying">
          Replying to “{replyTo.body.slice(0, 80)}”{" "}
          <button type="button" className="link" onClick={onClearReply}>
            Cancel reply
          </button>
        </p>
      ) : null}
      <label htmlFor="composer" className="visually-hidden">
        Message
      </label>
      <textarea
        id="composer"
        rows={2}
        placeholder="Write a message"
        value={body}
        maxLength={4000}
        onChange={(e) => {
          setBody(e.target.value);
          onTyping(e.target.value.length > 0);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <button type="submit">Send</button>
      <ErrorMessage error={send.error} />
    </form>
  );
}
