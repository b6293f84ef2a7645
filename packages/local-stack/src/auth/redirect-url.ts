// Which `redirect_to` GoTrue honours: same origin as site_url (any port on localhost), a loopback
// address, or a match of `additional_redirect_urls` globs (`*` stops at `.` and `/`, `**` does
// not). Anything else silently becomes site_url - except a value no URL can hold (control
// characters, which would split the Location header) or an oversized one: that is a 400.
import { validationFailed } from "./errors.ts";
import type { AuthSettings } from "./settings.ts";

/** Longest `redirect_to` accepted, as browsers and proxies reliably carry URLs. */
export const REDIRECT_TO_LIMIT = 2048;

const escapeRegExp = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

export function globToRegExp(glob: string): RegExp {
  let pattern = "";
  for (let i = 0; i < glob.length; i++) {
    if (glob[i] === "*" && glob[i + 1] === "*") {
      pattern += ".*";
      i++;
    } else if (glob[i] === "*") pattern += "[^./]*";
    else pattern += escapeRegExp(glob[i]);
  }
  return new RegExp(`^${pattern}$`);
}

const isLoopback = (host: string) => host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);

export function isRedirectAllowed(candidate: string, settings: Pick<AuthSettings, "siteUrl" | "additionalRedirectUrls">): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol === "javascript:" || url.protocol === "data:") return false;
  try {
    const site = new URL(settings.siteUrl);
    if (url.protocol === site.protocol && url.hostname === site.hostname && (url.port === site.port || isLoopback(site.hostname)))
      return true;
  } catch {
    // an unparsable site_url matches nothing
  }
  if ((url.protocol === "http:" || url.protocol === "https:") && isLoopback(url.hostname)) return true;
  const withoutFragment = candidate.split("#")[0];
  return settings.additionalRedirectUrls.some((glob) => globToRegExp(glob).test(withoutFragment));
}

/**
 * The redirect target of a request: `redirect_to` if allowed (serialized by the URL parser, so
 * characters a header cannot carry arrive percent-encoded), else site_url.
 */
export function resolveRedirect(
  candidate: string | null | undefined,
  settings: Pick<AuthSettings, "siteUrl" | "additionalRedirectUrls">,
): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (candidate && /[\u0000-\u001f\u007f]/.test(candidate)) throw validationFailed("redirect_to must not contain control characters");
  if (candidate && candidate.length > REDIRECT_TO_LIMIT)
    throw validationFailed(`redirect_to must be at most ${REDIRECT_TO_LIMIT} characters`);
  return candidate && isRedirectAllowed(candidate, settings) ? new URL(candidate).href : settings.siteUrl;
}
