// JSON.parse accepts any nesting, but everything after it that recurses (JSON.stringify, jsonb
// encoding, our own walks) overflows the stack on a body like `[[[[...]]]]` and answers 500.
// Bodies are checked here first, in one linear pass with no recursion.

/** Deeper bodies are refused; far beyond any real document, well within every recursive walk. */
export const MAX_JSON_DEPTH = 512;

/** True when `text` nests arrays/objects deeper than `max` (brackets inside strings ignored). */
export function jsonNestsDeeperThan(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** JSON.parse for untrusted text: a body nested past the limit throws a SyntaxError like bad JSON. */
export function parseUntrustedJson(text: string): unknown {
  if (jsonNestsDeeperThan(text)) throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return JSON.parse(text);
}
