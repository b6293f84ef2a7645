// Sends email through Resend's HTTP API (`POST {baseUrl}/emails`, Bearer API key). Locally the
// base URL is the stack's mail inbox, which speaks the same API; in production it is Resend.
export interface OutgoingEmail {
  from: string;
  to: string[];
  subject: string;
  html: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: { name: string; value: string }[];
}

export interface MailSender {
  send(email: OutgoingEmail): Promise<{ id: string }>;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Any key works against the local inbox; it only checks that one is sent, as Resend does. */
export const LOCAL_INBOX_API_KEY = "re_local_inbox";

export function createResendSender(options: { baseUrl: string; apiKey: string }): MailSender {
  const endpoint = `${options.baseUrl.replace(/\/+$/, "")}/emails`;
  return {
    async send(email) {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: { authorization: `Bearer ${options.apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(email),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string; message?: string };
      if (!response.ok || typeof body.id !== "string")
        throw new MailSendError(`sending email failed: ${response.status} ${body.message ?? ""}`.trim(), response.status);
      return { id: body.id };
    },
  };
}

/** The sender the stack uses: the mail API URL the stack was given (the local inbox, unless
 * BASEKIT_MAIL_API_URL=https://api.resend.com points at Resend) and RESEND_API_KEY when set. */
export function senderFromEnvironment(mailApiUrl: string, env: NodeJS.ProcessEnv = process.env): MailSender {
  return createResendSender({ baseUrl: mailApiUrl, apiKey: env.RESEND_API_KEY || LOCAL_INBOX_API_KEY });
}
