// Input validation with zod: a failed parse becomes a BasekitValidationError result.
import type { z } from "zod";
import { BasekitValidationError } from "./errors.ts";
import { type BasekitResult, fail, ok } from "./result.ts";

export function validate<S extends z.ZodType>(schema: S, input: unknown): BasekitResult<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return fail(new BasekitValidationError(parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }))));
}
