/** A real SMTP server on a free loopback port; received mail is parsed by mailparser and queued per recipient. */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string; from: string; subject: string; html: string; text: string; links: string[] };

export type TestSmtp = Awaited<ReturnType<typeof startSmtpServer>>;

export async function startSmtpServer() {
  const inbox: ReceivedMail[] = [];
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
      simpleParser(stream).then((parsed) => {
        const text = parsed.text ?? "";
        for (const rcpt of session.envelope.rcptTo) {
          deliver({
            to: rcpt.address.toLowerCase(),
            from: parsed.from?.text ?? "",
            subject: parsed.subject ?? "",
            html: typeof parsed.html === "string" ? parsed.html : "",
            text,
            links: text.match(/https?:\/\/\S+/g) ?? [],
          });
        }
        callback();
      }, callback);
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
    /** Messages received and not yet taken by nextMessage. */
    pending(): ReceivedMail[] {
      return [...inbox];
    },
    close(): Promise<void> {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
