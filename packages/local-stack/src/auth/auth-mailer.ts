// Renders and sends Auth's emails through the Resend-compatible sender (the local inbox, or
// Resend in production), counting each against the project's hourly email budget.
import type { Logger } from "../log/logger.ts";
import type { MailSender } from "../mail/resend-sender.ts";
import { type EmailKind, htmlToText, loadTemplates, renderTemplate, type TemplateVariables } from "./email-templates.ts";
import { AuthError } from "./errors.ts";
import type { AuthRateLimits } from "./rate-limits.ts";
import type { AuthSettings } from "./settings.ts";

export interface AuthMailer {
  send(kind: EmailKind, to: string, variables: Omit<TemplateVariables, "SiteURL">): Promise<void>;
}

export function createAuthMailer(settings: AuthSettings, sender: MailSender, limits: AuthRateLimits, logger: Logger): AuthMailer {
  const templates = loadTemplates(settings);
  return {
    async send(kind, to, variables) {
      limits.takeEmail();
      const vars: TemplateVariables = { SiteURL: settings.siteUrl, ...variables };
      const html = renderTemplate(templates[kind].content, vars);
      await sender
        .send({
          from: settings.mail.from,
          to: [to],
          subject: renderTemplate(templates[kind].subject, vars, false),
          html,
          text: htmlToText(html),
          tags: [{ name: "auth_email", value: kind }],
        })
        .catch((error: Error) => {
          // GoTrue answers a failed send as a 500 naming the mail; the cause goes to the log.
          logger.error("sending email failed", { kind, error: error.message });
          throw new AuthError(500, "unexpected_failure", `Error sending ${kind.replace("_", " ")} email`);
        });
    },
  };
}
