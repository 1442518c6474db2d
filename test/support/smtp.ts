/** A real SMTP server on a free loopback port; received mail is parsed by mailparser and queued per recipient. */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = {
  to: string;
  from: string;
  subject: string;
  html: string;
  text: string;
  links: string[];
  messageId: string;
  /** Header values by lower-case name, as sent (unfolded); the last one where a name repeats. */
  headers: Record<string, string>;
  /** The message as it arrived, headers and encoded parts, each byte one character. */
  raw: string;
};

/** How the server answers a message's DATA: accepted (undefined), or refused with an SMTP reply code. */
export type SmtpAnswer = { code: number; message: string } | undefined;

export type SmtpServerOptions = {
  /** Decides each message's answer, once it has arrived whole; a promise holds the sender waiting. */
  answer?: (mail: ReceivedMail) => SmtpAnswer | Promise<SmtpAnswer>;
};

export type TestSmtp = Awaited<ReturnType<typeof startSmtpServer>>;

export async function startSmtpServer(options: SmtpServerOptions = {}) {
  const inbox: ReceivedMail[] = [];
  /** Every message accepted, in order, including those already taken by nextMessage. */
  const accepted: ReceivedMail[] = [];
  const waiting: { to: string; resolve: (mail: ReceivedMail) => void }[] = [];

  const deliver = (mail: ReceivedMail) => {
    const waiter = waiting.findIndex((w) => w.to === mail.to);
    if (waiter >= 0) waiting.splice(waiter, 1)[0]?.resolve(mail);
    else inbox.push(mail);
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      new Promise((resolve, reject) => stream.on("end", resolve).on("error", reject))
        .then(() => simpleParser(Buffer.concat(chunks)))
        .then(async (parsed) => {
          const text = parsed.text ?? "";
          const mails = session.envelope.rcptTo.map((rcpt) => ({
            to: rcpt.address.toLowerCase(),
            from: parsed.from?.text ?? "",
            subject: parsed.subject ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            text,
            links: text.match(/https?:\/\/\S+/g) ?? [],
            messageId: parsed.messageId ?? "",
            raw: Buffer.concat(chunks).toString("latin1"),
            headers: Object.fromEntries(
              parsed.headerLines.map((h) => [
                h.key,
                h.line
                  .slice(h.line.indexOf(":") + 1)
                  .replace(/\r?\n\s+/g, " ")
                  .trim(),
              ]),
            ),
          }));
          for (const mail of mails) {
            const refusal = await options.answer?.(mail);
            if (refusal) {
              callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
              return;
            }
          }
          accepted.push(...mails);
          for (const mail of mails) deliver(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    /** The next message to `to` (oldest first), waiting for it up to `timeoutMs`. */
    nextMessage(to: string, timeoutMs = 5000): Promise<ReceivedMail> {
      const address = to.toLowerCase();
      const queued = inbox.findIndex((m) => m.to === address);
      if (queued >= 0) return Promise.resolve(inbox.splice(queued, 1)[0]!);
      return new Promise((resolve, reject) => {
        const waiter = {
          to: address,
          resolve: (mail: ReceivedMail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(new Error(`no email to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting.push(waiter);
      });
    },
    /** Every message accepted so far, to `to`. */
    acceptedFor(to: string): ReceivedMail[] {
      return accepted.filter((m) => m.to === to.toLowerCase());
    },
    /** Messages received and not yet taken by nextMessage. */
    pending(): ReceivedMail[] {
      return [...inbox];
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
