// net._http_response.error_msg carries curl's error text (curl_easy_strerror) on hosted Supabase,
// and code matches on it ("Couldn't connect to server"). fetch fails with a TypeError whose cause
// holds the system error code: translate the common ones, keep the message for the rest.

const byCode: Record<string, string> = {
  ECONNREFUSED: "Couldn't connect to server",
  EHOSTUNREACH: "Couldn't connect to server",
  ENETUNREACH: "Couldn't connect to server",
  ENOTFOUND: "Couldn't resolve host name",
  EAI_AGAIN: "Couldn't resolve host name",
  ECONNRESET: "Failure when receiving data from the peer",
  EPIPE: "Failure when sending data to the peer",
  UND_ERR_SOCKET: "Failure when receiving data from the peer",
  UND_ERR_HEADERS_OVERFLOW: "Failure when receiving data from the peer",
  HPE_INVALID_CONSTANT: "Weird server reply",
  HPE_INVALID_HEADER_TOKEN: "Weird server reply",
  DEPTH_ZERO_SELF_SIGNED_CERT: "SSL peer certificate or SSH remote key was not OK",
  SELF_SIGNED_CERT_IN_CHAIN: "SSL peer certificate or SSH remote key was not OK",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "SSL peer certificate or SSH remote key was not OK",
  CERT_HAS_EXPIRED: "SSL peer certificate or SSH remote key was not OK",
  ERR_TLS_CERT_ALTNAME_INVALID: "SSL peer certificate or SSH remote key was not OK",
};

export function curlErrorMessage(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code && byCode[cause.code]) return byCode[cause.code];
  if (cause?.message === "redirect count exceeded") return "Number of redirects hit maximum amount";
  return cause?.message ?? (error as Error)?.message ?? String(error);
}
