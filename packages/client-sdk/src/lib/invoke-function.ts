// Calls an Edge Function through supabase-js and turns its answer into a BasekitResult: the
// function's own error JSON ({code, message}) becomes the error, a failed fetch a network error.
import { FunctionsHttpError } from "@supabase/supabase-js";
import { BasekitApiError, BasekitNetworkError } from "./errors.ts";
import { type BasekitResult, fail, ok } from "./result.ts";
import type { BasekitSupabaseClient } from "./supabase-client.ts";

export async function invokeFunction<T>(
  supabase: BasekitSupabaseClient,
  name: string,
  options: { method: "GET" | "POST"; query?: Record<string, string> },
): Promise<BasekitResult<T>> {
  const query = options.query ? `?${new URLSearchParams(options.query)}` : "";
  const { data, error } = await supabase.functions.invoke<T>(`${name}${query}`, { method: options.method });
  if (!error) return ok(data as T);
  if (!(error instanceof FunctionsHttpError)) return fail(new BasekitNetworkError(error.message, error));
  const response = error.context as Response;
  const body = (await response.json().catch(() => ({}))) as { code?: string; message?: string };
  return fail(new BasekitApiError(body.message ?? error.message, body.code ?? "unknown_error", { status: response.status, cause: error }));
}
