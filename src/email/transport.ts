/** Sends email over SMTP when SMTP_URL is set; otherwise keeps it in the email_outbox table and logs its links. */
import type { Transporter } from "nodemailer";
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

/** Said at every start without a mail server, so nobody runs a live paper on the outbox by accident. */
export const OUTBOX_WARNING =
  "EMAIL IS NOT BEING SENT: SMTP_URL is not set, so no message leaves this server. Sign-in links, password " +
  "resets, invitations and billing emails are written to this log and kept in the database outbox (the " +
  "newsroom's Outbox screen) instead. Fine for trying Broadsheet out; set SMTP_URL before anyone relies on email.";

/** The start-up notes about how mail goes out: the warning above in outbox mode, nothing otherwise. */
export function mailerNotes(mailer: Pick<Mailer, "mode">): string[] {
  return mailer.mode === "outbox" ? [OUTBOX_WARNING] : [];
}

export function createMailer(deps: { db: Db; clock: Clock; log: MailLog }, options: MailerOptions): Mailer {
  const fallbackAddress = `no-reply@${new URL(options.publicUrl).hostname}`;
  const fromFor = (email: OutgoingEmail) => options.from ?? { name: email.fromName, address: fallbackAddress };

  const { smtpUrl } = options;
  if (smtpUrl) {
    // nodemailer is loaded by the first message sent, not at start-up.
    let transport: Promise<Transporter> | undefined;
    return {
      mode: "smtp",
      async send(email) {
        transport ??= import("nodemailer").then(({ createTransport }) => createTransport(smtpUrl));
        await (await transport).sendMail({
          from: fromFor(email),
          to: email.to,
          subject: email.subject,
          html: email.html,
          text: email.text,
        });
      },
      close: () => void transport?.then((t) => t.close()),
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
