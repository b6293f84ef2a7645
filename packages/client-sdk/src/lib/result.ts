// `{ data, error }` results, as supabase-js returns them: expected failures are values, not throws.
import { BasekitError } from "./errors.ts";

export type BasekitResult<T> = { data: T; error: null } | { data: null; error: BasekitError };

export const ok = <T>(data: T): BasekitResult<T> => ({ data, error: null });
export const fail = <T = never>(error: BasekitError): BasekitResult<T> => ({ data: null, error });

/** Returns the data of a result or throws its error: the bridge to TanStack Query, which expects throws. */
export function unwrap<T>(result: BasekitResult<T>): T {
  if (result.error) throw result.error;
  return result.data as T;
}

/** Runs `work`, turning anything it throws into an error result so callers never see a throw. */
export async function guard<T>(work: () => Promise<BasekitResult<T>>): Promise<BasekitResult<T>> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BasekitError) return fail(error);
    return fail(new BasekitError(error instanceof Error ? error.message : String(error), "unknown_error", { cause: error }));
  }
}
