// The Edge Functions service (/functions/v1/<name>): finds the function, checks the JWT when
// `verify_jwt` asks for it, and hands the request to a Deno worker running the function. Workers
// start on first use; `[edge_runtime] policy` keeps one warm per function (per_worker) or starts
// one per request (oneshot).
import { join } from "node:path";
import { section } from "../config/load-config.ts";
import type { GatewayRequest, GatewayResponse, Service } from "../gateway/types.ts";
import { bearerToken, createJwtVerifier } from "../keys/verify-jwt.ts";
import type { StackContext } from "../services.ts";
import { type FunctionSpec, listFunctions, resolveFunction } from "./discover.ts";
import {
  bootError,
  functionNotFound,
  invalidJwt,
  missingAuthorization,
  notBearerAuthorization,
  workerError,
  workerLimit,
} from "./errors.ts";
import { functionEnv } from "./function-env.ts";
import { forwardToWorker } from "./proxy.ts";
import { FunctionWorker } from "./worker.ts";

/** The CLI's local wall clock per request (400 s); BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS changes it. */
const DEFAULT_WALL_CLOCK_SECONDS = 400;

export function createFunctionsService(context: StackContext): Service | undefined {
  const { config, keys, logger } = context;
  if (!config.edgeRuntime.enabled) return undefined;
  const log = logger.child({ service: "functions" });
  const oneshot = section(config, "edge_runtime").policy === "oneshot";
  const wallClockMs = Number(process.env.BASEKIT_FUNCTIONS_WALL_CLOCK_SECONDS || DEFAULT_WALL_CLOCK_SECONDS) * 1000;
  const denoDir = join(config.stateDir, "deno");
  const verifier = createJwtVerifier(keys.jwtSecret, keys.signingKeys?.publicJwks);
  const warm = new Map<string, FunctionWorker>();
  const running = new Set<FunctionWorker>();

  function startWorker(spec: FunctionSpec): FunctionWorker {
    const worker = new FunctionWorker({ spec, env: functionEnv(context), denoDir, logger: log });
    running.add(worker);
    void worker.exited.then(() => {
      running.delete(worker);
      if (warm.get(spec.name) === worker) warm.delete(spec.name);
    });
    return worker;
  }

  function workerFor(spec: FunctionSpec): FunctionWorker {
    if (oneshot) return startWorker(spec);
    const existing = warm.get(spec.name);
    // A changed entrypoint or config means a fresh worker, like the CLI's hot reload on edits.
    if (existing?.alive && JSON.stringify(existing.options.spec) === JSON.stringify(spec)) return existing;
    if (existing) void existing.stop();
    const worker = startWorker(spec);
    warm.set(spec.name, worker);
    return worker;
  }

  async function authorize(request: GatewayRequest): Promise<GatewayResponse | undefined> {
    const header = request.headers.authorization;
    if (!header) return missingAuthorization();
    const token = bearerToken(header);
    if (!token) return notBearerAuthorization();
    try {
      await verifier.verify(token);
      return undefined;
    } catch {
      return invalidJwt();
    }
  }

  async function handle(request: GatewayRequest): Promise<GatewayResponse> {
    const name = request.path.split("/")[1] ?? "";
    const spec = resolveFunction(config, name);
    if (!spec) return functionNotFound();
    if (spec.verifyJwt && request.method !== "OPTIONS") {
      const refused = await authorize(request);
      if (refused) return refused;
    }
    const worker = workerFor(spec);
    let port: number;
    try {
      port = await worker.ready;
    } catch (error) {
      log.error("function failed to boot", { function: name, error: (error as Error).message });
      void worker.stop();
      return bootError();
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      log.warn("function hit the wall-clock limit", { function: name, seconds: wallClockMs / 1000 });
      void worker.stop();
    }, wallClockMs);
    timer.unref();
    const finish = () => {
      clearTimeout(timer);
      if (oneshot) void worker.stop();
    };
    try {
      const response = await forwardToWorker(
        { port, agent: worker.agent, secret: worker.secret },
        request,
        `${request.path}${request.url.search}`,
      );
      if (response.headers["x-basekit-worker-error"]) {
        // The function threw: Supabase ends such a worker; the next request gets a fresh one.
        response.body.resume();
        finish();
        void worker.stop();
        return workerError();
      }
      response.body.once("close", finish);
      return response;
    } catch (error) {
      finish();
      if (timedOut) return workerLimit();
      log.error("function worker failed", { function: name, error: (error as Error).message });
      void worker.stop();
      return workerError();
    }
  }

  return {
    name: "functions",
    prefix: "/functions/v1",
    handle,
    // Functions answer their own preflights and CORS headers, as on Supabase.
    ownsCors: true,
    health: () => ({ status: "ok", functions: listFunctions(config), workers: running.size }),
    async close() {
      await Promise.all([...running].map((worker) => worker.stop()));
    },
  };
}
