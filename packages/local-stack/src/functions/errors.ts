// The answers Supabase's functions runtime gives when it, not the function, replies: the same
// status codes, error codes and bodies the CLI's `functions serve` returns.
import type { GatewayResponse } from "../gateway/types.ts";

const jsonBody = (status: number, value: unknown): GatewayResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(value),
});

export const functionNotFound = (): GatewayResponse => ({
  status: 404,
  headers: { "content-type": "text/plain" },
  body: "Function not found",
});

export const missingAuthorization = () => jsonBody(401, { msg: "Error: Missing authorization header" });
export const notBearerAuthorization = () => jsonBody(401, { msg: "Error: Auth header is not 'Bearer {token}'" });
export const invalidJwt = () => jsonBody(401, { msg: "Invalid JWT" });

/** The function failed to load (syntax error, top-level throw, no handler). */
export const bootError = () => jsonBody(503, { code: "BOOT_ERROR", message: "Worker failed to boot (please check logs)" });
/** The function threw or its worker died while answering. */
export const workerError = () => jsonBody(500, { code: "WORKER_ERROR", message: "Function exited due to an error (please check logs)" });
/** The wall-clock limit ended the request. */
export const workerLimit = () =>
  jsonBody(546, { code: "WORKER_LIMIT", message: "Worker failed to respond due to a resource limit (please check logs)" });

/** Raised while starting a worker; answered as BOOT_ERROR. */
export class BootError extends Error {}
