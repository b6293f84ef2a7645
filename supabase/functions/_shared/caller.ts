// Who is calling, from the Authorization header. The runtime has already verified the JWT
// (verify_jwt = true, the default), so reading its claims is enough here; functions with
// verify_jwt = false must verify the token themselves before trusting it.
export interface Caller {
  sub: string | null;
  role: string | null;
}

function decodeSegment(segment: string): Record<string, unknown> {
  const base64 = segment
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

export function callerFrom(request: Request): Caller {
  const token = /^Bearer\s+(.+)$/i.exec(request.headers.get("Authorization") ?? "")?.[1];
  const payload = token?.split(".")[1];
  if (!payload) return { sub: null, role: null };
  try {
    const claims = decodeSegment(payload);
    return {
      sub: typeof claims.sub === "string" ? claims.sub : null,
      role: typeof claims.role === "string" ? claims.role : null,
    };
  } catch {
    return { sub: null, role: null };
  }
}
