// Turns a supabase-js PostgREST response into a BasekitResult.
import { type BasekitResult, fail, ok } from "./result.ts";
import { fromPostgrestError } from "./to-error.ts";

interface PostgrestResponseLike<T> {
  data: T | null;
  error: { message: string; code: string; details?: string | null; hint?: string | null } | null;
  status: number;
}

export function fromResponse<T>(response: PostgrestResponseLike<T>): BasekitResult<T> {
  if (response.error) return fail(fromPostgrestError(response.error, response.status));
  return ok(response.data as T);
}
