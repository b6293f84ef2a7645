// Supabase's gateway turns the new opaque API keys into the role JWTs the services accept: keep
// Authorization unless it is missing or `Bearer sb_...`; then a secret key becomes the
// service_role JWT, a publishable key the anon JWT, anything else is passed on as the token.
import type { IncomingHttpHeaders } from "node:http";
import type { ApiKeys } from "../keys/api-keys.ts";

export function bearerFromApiKey(apiKey: string | undefined, keys: ApiKeys): string | undefined {
  if (!apiKey) return undefined;
  if (apiKey === keys.secretKey) return keys.serviceRoleKey;
  if (apiKey === keys.publishableKey) return keys.anonKey;
  return apiKey;
}

export function rewriteAuthorization(headers: IncomingHttpHeaders, keys: ApiKeys): void {
  const authorization = headers.authorization;
  if (authorization && !/^bearer sb_/i.test(authorization)) return;
  const apiKey = typeof headers.apikey === "string" ? headers.apikey : undefined;
  const token = bearerFromApiKey(apiKey ?? authorization?.slice(7), keys);
  if (token) headers.authorization = `Bearer ${token}`;
  else delete headers.authorization;
}
