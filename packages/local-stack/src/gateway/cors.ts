// CORS as Supabase's gateway answers it: any origin, the headers supabase-js sends, and the
// headers it reads back (ranges, counts, API version).

export const corsHeaders: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "Content-Range, Content-Location, Content-Profile, Preference-Applied, Range-Unit, X-Total-Count, Link, X-Supabase-Api-Version, Location, ETag, Content-Length",
};

export function preflightHeaders(requestedHeaders: string | undefined): Record<string, string> {
  return {
    ...corsHeaders,
    "access-control-allow-methods": "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers":
      requestedHeaders ||
      "authorization, x-client-info, apikey, content-type, x-supabase-api-version, accept-profile, content-profile, prefer, range, x-upsert, x-retry-count",
    "access-control-max-age": "86400",
  };
}
