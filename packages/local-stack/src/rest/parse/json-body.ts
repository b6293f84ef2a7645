// Request bodies as JSON, nested at most MAX_JSON_DEPTH levels. JSON.stringify, PostgreSQL's json
// parser and any later walk recurse once per level: 100k nested arrays would overflow a stack (a 500
// or a dropped connection) where the client deserves a 400.
import { RestError } from "../errors.ts";

/** Far deeper than any real payload, far shallower than what overflows V8 or PostgreSQL. */
export const MAX_JSON_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Whether arrays/objects nest deeper than `max` in `text`: one pass, no recursion, strings skipped. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(c)) depth--;
  }
  return false;
}

/** The parsed body (`fallback` when blank); PGRST102 when it is not JSON or nests too deeply. */
export function parseJsonBody(text: string, fallback: unknown = {}): unknown {
  if (text.trim() === "") return fallback;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new RestError(
      400,
      "PGRST102",
      "Empty or invalid json",
      `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new RestError(400, "PGRST102", "Empty or invalid json");
  }
}
