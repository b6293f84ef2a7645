// Runs a form's SDK call, keeping its pending state and the BasekitError (with field issues) it returned.
import type { BasekitError, BasekitResult } from "@basekit/client-sdk";
import { useState } from "react";

export function useFormAction<T>(action: () => Promise<BasekitResult<T>>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<BasekitError | null>(null);
  const run = async (): Promise<BasekitResult<T>> => {
    setPending(true);
    setError(null);
    const result = await action();
    setPending(false);
    if (result.error) setError(result.error);
    return result;
  };
  /** The message for one field when the error is a validation error naming it. */
  const fieldError = (path: string) =>
    (error as { issues?: { path: string; message: string }[] } | null)?.issues?.find((issue) => issue.path === path)?.message ?? null;
  return { run, pending, error, fieldError };
}
