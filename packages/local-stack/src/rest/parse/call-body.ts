// The body of a POST to /rpc/<fn>, by its Content-Type as PostgREST reads it: JSON (the default),
// a form (`application/x-www-form-urlencoded`, keys are arguments, a repeated key a variadic
// array), or a raw text/xml/binary value for a function's single unnamed parameter.
import type { CallBodyType } from "../plan/resolve-function.ts";

export function callBodyType(contentType: string | undefined): CallBodyType {
  const mediaType = (contentType ?? "").split(";")[0].trim().toLowerCase();
  switch (mediaType) {
    case "application/x-www-form-urlencoded":
      return "form";
    case "text/plain":
      return "text";
    case "text/xml":
      return "xml";
    case "application/octet-stream":
      return "octet";
    default:
      return "json";
  }
}

/** A form body as the JSON object PostgREST makes of it. */
export function formArguments(text: string): Record<string, string | string[]> {
  const args: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const previous = args[key];
    args[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return args;
}
