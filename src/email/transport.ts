/** Sends email over SMTP when SMTP_URL is set; otherwise keeps it in the email_outbox table and logs its links. */
import { createTransport } from "nodemailer";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import type { RenderedEmail } from "./render-email.js";
import { emailOutbox } from "./schema.js";

export type OutgoingEmail = RenderedEmail & { to: string };

export type Mailer = {
  readonly mode: "smtp" | "outbox";
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
};

/** Where the mailer writes its one line per outbox message; Fastify's logger fits. */
export type MailLog = { info(details: object, message: string): void };

export type MailerOptions = {
  smtpUrl: string | undefined;
  /** MAIL_FROM verbatim; when unset, the site's title at no-reply@ the public host. */
  from: string | undefined;
  publicUrl: string;
};

export function createMailer(deps: { db: Db; clock: Clock; log: MailLog }, options: MailerOptions): Mailer {
  const fallbackAddress = `no-reply@${new URL(options.publicUrl).hostname}`;
  const fromFor = (email: OutgoingEmail) => options.from ?? { name: email.fromName, address: fallbackAddress };

  if (options.smtpUrl) {
    const transport = createTransport(options.smtpUrl);
    return {
      mode: "smtp",
      async send(email) {
        await transport.sendMail({
          from: fromFor(email),
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
        });
      },
      close: () => transport.close(),
    };
  }

  return {
    mode: "outbox",
    async send(email) {
      await deps.db.insert(emailOutbox).values({
        toAddress: email.to,
        subject: email.subject,
        html: email.html,
        text: email.text,
        createdAt: deps.clock.now(),
      });
      // Development only: with no mail server, the log is how the reader's link reaches whoever runs the site.
      const links = email.text.match(/https?:\/\/\S+/g) ?? [];
      deps.log.info({ to: email.to, subject: email.subject, links }, "email kept in the outbox (SMTP_URL is not set)");
    },
    close: () => undefined,
  };
}
