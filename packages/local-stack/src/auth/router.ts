// Routes /auth/v1/<path> to its handler and turns thrown AuthErrors (and anything unexpected)
// into Supabase Auth's error responses.
import type { GatewayRequest, GatewayResponse } from "../gateway/types.ts";
import type { AuthContext, AuthHandler, AuthRequest } from "./auth-context.ts";
import { clientInfo } from "./client-info.ts";
import { AuthError, errorResponse, validationFailed, wantsVersionedErrors } from "./errors.ts";
import { readJsonBody } from "./request-body.ts";

export interface Route {
  method: string;
  /** e.g. `/factors/:id/verify` */
  path: string;
  handler: AuthHandler;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.]/g, "\\.").replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

function authRequest(ctx: AuthContext, gateway: GatewayRequest): AuthRequest {
  let body: Promise<Record<string, unknown>> | undefined;
  return {
    gateway,
    method: gateway.method,
    path: gateway.path,
    query: gateway.url.searchParams,
    body: () => {
      body ??= readJsonBody(gateway);
      return body;
    },
    client: clientInfo(gateway, ctx.trustedProxies),
  };
}

/** A path parameter, percent-decoded; 400 for escapes that decode to nothing (`%ZZ`, lone `%E2`). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw validationFailed("Invalid path: malformed percent-encoding");
  }
}

export type RequestGate = (
  path: string,
  headers: GatewayRequest["headers"],
) => GatewayResponse | undefined | Promise<GatewayResponse | undefined>;

export function createRouter(
  ctx: AuthContext,
  routes: Route[],
  gate: RequestGate = () => undefined,
): (request: GatewayRequest) => Promise<GatewayResponse> {
  const compiled = routes.map(compile);
  return async (gateway) => {
    const refused = await gate(gateway.path, gateway.headers);
    if (refused) return refused;
    const versioned = wantsVersionedErrors(gateway.headers["x-supabase-api-version"]);
    try {
      const candidates = compiled.filter((route) => route.pattern.test(gateway.path));
      if (candidates.length === 0) throw new AuthError(404, "not_found", "Not Found");
      const route = candidates.find((r) => r.method === gateway.method);
      if (!route) throw new AuthError(405, "method_not_allowed", "Method Not Allowed");
      const match = route.pattern.exec(gateway.path) ?? [];
      const params = Object.fromEntries(route.names.map((name, i) => [name, decodePathSegment(match[i + 1] ?? "")]));
      const response = await route.handler(ctx, authRequest(ctx, gateway), params);
      if (versioned) response.headers = { ...response.headers, "x-supabase-api-version": "2024-01-01" };
      return response;
    } catch (error) {
      if (error instanceof AuthError) return errorResponse(error, versioned);
      ctx.logger.error("auth request failed", { path: gateway.path, error: (error as Error).stack ?? String(error) });
      return errorResponse(
        new AuthError(500, "unexpected_failure", "Unexpected failure, please check server logs for more information"),
        versioned,
      );
    }
  };
}
