// The schema a request works in, as PostgREST picks it: `Accept-Profile` on GET/HEAD,
// `Content-Profile` on the other methods, else the first exposed schema; an unexposed one is PGRST106.
import { RestError } from "../errors.ts";

export interface ProfileChoice {
  schema: string;
  /** Chosen by header (then responses echo `Content-Profile`). */
  explicit: boolean;
}

export function chooseProfile(method: string, headers: { accept?: string; content?: string }, schemas: string[]): ProfileChoice {
  const wanted = method === "GET" || method === "HEAD" ? headers.accept : headers.content;
  if (wanted === undefined) return { schema: schemas[0], explicit: false };
  if (!schemas.includes(wanted))
    throw new RestError(
      406,
      "PGRST106",
      `Invalid schema: ${wanted}`,
      null,
      `Only the following schemas are exposed: ${schemas.join(", ")}`,
    );
  return { schema: wanted, explicit: true };
}
