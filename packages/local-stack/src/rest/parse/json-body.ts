// Request bodies as JSON, nested at most MAX_JSON_DEPTH levels. JSON.stringify, PostgreSQL's json
// parser and any later walk recurse once per level: 100k nested arrays would overflow a stack (a 500
// or a dropped connection) where the client deserves a 400.
import { MAX_JSON_DEPTH, valueNestsDeeperThan } from "../../gateway/json-depth.ts";
import { RestError } from "../errors.ts";

/** The parsed body (`fallback` when blank); PGRST102 when it is not JSON or nests too deeply. */
export function parseJsonBody(text: string, fallback: unknown = {}): unknown {
  if (text.trim() === "") return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RestError(400, "PGRST102", "Empty or invalid json");
  }
  if (valueNestsDeeperThan(value))
    throw new RestError(
      400,
      "PGRST102",
      "Empty or invalid json",
      `The JSON body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep`,
    );
  return value;
}
