// Runs inside Deno, one process per function: captures the handler the function gives to
// `Deno.serve` (or its `export default { fetch }`), serves it on a port of our choosing and tells
// the stack which one. Plain TypeScript that Deno runs as is; it imports nothing.
//
// The port is on loopback, where any local process can reach it: requests must carry the secret
// the stack wrote on our stdin, so nothing skips the gateway's `verify_jwt` by calling us directly.

type Handler = (request: Request, info: unknown) => Response | Promise<Response>;
interface ServeOptions {
  handler?: Handler;
  port?: number;
  hostname?: string;
  onListen?: (address: { port: number; hostname: string }) => void;
}
interface DenoApi {
  env: { get(name: string): string | undefined; delete(name: string): void };
  serve(options: ServeOptions, handler: Handler): { finished: Promise<void> };
  stdin: { readable: ReadableStream<Uint8Array> };
  exit(code?: number): never;
}

const runtime = (globalThis as unknown as { Deno: DenoApi }).Deno;
const entry = runtime.env.get("BASEKIT_FUNCTION_ENTRY") ?? "";
const hostname = "127.0.0.1";
// The function must not see our plumbing.
runtime.env.delete("BASEKIT_FUNCTION_ENTRY");

let captured: Handler | undefined;
const realServe = runtime.serve.bind(runtime);

/** Stands in for `Deno.serve` while the function loads: keeps the handler, binds nothing. */
function captureServe(first: unknown, second?: unknown): unknown {
  const handler =
    typeof first === "function" ? first : typeof second === "function" ? second : (first as ServeOptions | undefined)?.handler;
  if (typeof handler !== "function") throw new TypeError("Deno.serve needs a handler function");
  captured = handler as Handler;
  const finished = new Promise<void>(() => {});
  return { finished, addr: { transport: "tcp", hostname, port: 0 }, ref() {}, unref() {}, shutdown: async () => {} };
}
(runtime as unknown as { serve: unknown }).serve = captureServe;

// Supabase's runtime global: background work simply runs to completion here.
(globalThis as unknown as { EdgeRuntime: unknown }).EdgeRuntime = {
  waitUntil(promise: Promise<unknown>) {
    promise.catch((error) => console.error(error));
  },
};

// Our stdin: first the secret line, then nothing until the stack closes it when it stops or dies.
// Exit with it, never outlive it. (stdin, not an environment variable: /proc/<pid>/environ and
// the function's own Deno.env would show a variable.)
const stdin = runtime.stdin.readable.getReader();
const secret = await (async () => {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await stdin.read();
    if (done) runtime.exit(0);
    text += decoder.decode(value, { stream: true });
  }
  return text.slice(0, text.indexOf("\n"));
})();
(async () => {
  while (!(await stdin.read()).done) {}
  runtime.exit(0);
})();
const SECRET_HEADER = "x-basekit-worker-secret";

/** Compares in time independent of where the strings differ. */
function sameSecret(given: string | null): boolean {
  if (given === null || given.length !== secret.length) return false;
  let difference = 0;
  for (let i = 0; i < secret.length; i++) difference |= given.charCodeAt(i) ^ secret.charCodeAt(i);
  return difference === 0;
}

const module = (await import(entry)) as { default?: { fetch?: Handler } };
const handler = captured ?? (typeof module.default?.fetch === "function" ? module.default.fetch.bind(module.default) : undefined);
if (!handler) {
  console.error("The function neither calls Deno.serve(handler) nor exports default { fetch }");
  runtime.exit(1);
}

/** An exception escaping the handler ends the worker, as in Supabase: the stack sees the marker and retires us. */
async function serveOne(request: Request, info: unknown): Promise<Response> {
  if (!sameSecret(request.headers.get(SECRET_HEADER))) return new Response("Forbidden", { status: 403 });
  const headers = new Headers(request.headers);
  headers.delete(SECRET_HEADER);
  try {
    return await (handler as Handler)(new Request(request, { headers }), info);
  } catch (error) {
    console.error(error);
    return new Response(null, { status: 500, headers: { "x-basekit-worker-error": "1" } });
  }
}

realServe(
  {
    port: 0,
    hostname,
    onListen: (address) => console.log(`basekit-worker-ready ${address.port}`),
  },
  serveOne,
);
