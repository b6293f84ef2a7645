// JSON.parse accepts any nesting (V8 parses iteratively), but everything after it that recurses
// (JSON.stringify, jsonb encoding, our own walks) overflows the stack on a body like `[[[[...]]]]`
// and answers 500. Parsed bodies are checked here, without recursion, before anything else sees
// them; the walk visits arrays and objects only, so a large string payload costs nothing.

/** Deeper bodies are refused; far beyond any real document, well within every recursive walk. */
export const MAX_JSON_DEPTH = 512;

/** True when arrays/objects in `value` nest deeper than `max` levels. */
export function valueNestsDeeperThan(value: unknown, max = MAX_JSON_DEPTH): boolean {
  if (typeof value !== "object" || value === null) return false;
  const pending: [object, number][] = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [container, depth] = next;
    if (depth > max) return true;
    for (const child of Array.isArray(container) ? container : Object.values(container))
      if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
  }
  return false;
}

/** JSON.parse for untrusted text: a body nested past the limit throws a SyntaxError like bad JSON. */
export function parseUntrustedJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (valueNestsDeeperThan(value)) throw new SyntaxError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  return value;
}
