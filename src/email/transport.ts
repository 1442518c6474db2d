/**
 * Mail goes through the job queue: `send` writes the message as a job (in the caller's transaction when there
 * is one), and `deliver`, the job's handler, hands it to the SMTP server when SMTP_URL is set, otherwise keeps
 * it in the email_outbox table and logs its links.
 */
import { randomUUID } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { Queryable } from "../db/index.js";
import { enqueueJobs, type JobContext, type NewJob, PermanentJobError } from "../jobs/index.js";
import { createBatcher } from "../shared/batcher.js";
import type { Clock } from "../shared/clock.js";
import { type BodyRef, createBodyReader, fillBody, type MailBody, storeMailBody } from "./mail-bodies.js";
import { createPartsFiller, type MimeParts } from "./mime-parts.js";
import type { RenderedEmail } from "./render-email.js";
import { emailOutbox } from "./schema.js";
import { normaliseAddress, type Suppression, suppressAddress, suppressedAmong } from "./suppressions.js";

export type OutgoingEmail = RenderedEmail & {
  to: string;
  /** Extra headers (a newsletter's List-Unsubscribe, List-Id, Precedence); names and values are plain text. */
  headers?: Record<string, string>;
  replyTo?: string;
  /** The sender's address, when not the site's (a newsletter's own); its name is `fromName`. */
  fromAddress?: string;
  /**
   * Bulk mail (a newsletter issue), not a reply to something the reader did: dropped when the address is on the
   * suppression list. Transactional messages (sign-in links, receipts) leave it unset and are always sent.
   */
  bulk?: boolean;
};
/** A message as its job holds it: the same `Message-ID` on every attempt. */
export type QueuedEmail = OutgoingEmail & { messageId: string };
/** A message of many sharing one body (`sendToMany`): its job holds the body's id and this message's fill. */
type QueuedShared = Omit<QueuedEmail, "html" | "text"> & { body: BodyRef };
/** A queued message read back: its body (its own, or a shared one with what fills the slot for this message). */
type ResolvedEmail = Omit<QueuedEmail, "html" | "text"> & { body: MailBody; slotFill?: Omit<BodyRef, "id"> };

/** One recipient of a message sent to many: their address, the message's key, and what fills the slot. */
export type SharedRecipient = { to: string; key: string; fill: string };

/** The queue's key of a message's job, from the key the sender gave it (jobs of keys with one prefix share one). */
export const mailJobKey = (key: string) => `mail:${key}`;

/** The job kind of one message to one address. */
export const MAIL_JOB = "mail.send";
// With the queue's backoff (5 s doubling, at most an hour apart): tried for about five hours.
const MAIL_MAX_ATTEMPTS = 12;
// A message a reader is waiting for (a sign-in link) is claimed ahead of a newsletter's queued ones.
const TRANSACTIONAL_PRIORITY = 1;
const BULK_PRIORITY = 0;
/**
 * Messages handed to the pool per SMTP connection: the next ones wait in the pool, so a connection never idles
 * while a job is claimed or recorded. `mailJobsInFlight` is the mail kind's job concurrency for MAIL_CONCURRENCY.
 */
const MESSAGES_IN_FLIGHT_PER_CONNECTION = 8;
export const mailJobsInFlight = (concurrency: number) => concurrency * MESSAGES_IN_FLIGHT_PER_CONNECTION;
/** Messages over one connection before nodemailer opens a fresh one (its default, 100, reconnects too often). */
const MESSAGES_PER_CONNECTION = 1000;
/** Suppression lookups of messages being sent at once, answered by one query. */
const SUPPRESSION_LOOKUPS_PER_QUERY = 500;

export type SendOptions = {
  /** The transaction of the change that causes the message: it is queued only if that change commits. */
  db?: Queryable;
  /** Idempotency: a second message with the same key is not queued (e.g. `welcome:<member id>`). */
  key?: string;
};

export type Mailer = {
  readonly mode: "smtp" | "outbox";
  /**
   * Queues the message; the job runner delivers it within moments, retrying while the server refuses. False when
   * a message with the same key was queued before (nothing new is queued).
   */
  send(email: OutgoingEmail, options?: SendOptions): Promise<boolean>;
  /**
   * Queues one message per recipient in one statement, each under its own key, their body stored once: each
   * recipient's `fill` takes the place of `slot` in the body and the headers. How many were new.
   */
  sendToMany(
    email: Omit<OutgoingEmail, "to">,
    recipients: SharedRecipient[],
    options: { db: Queryable; slot: string },
  ): Promise<number>;
  /** The MAIL_JOB handler. */
  deliver(payload: unknown, ctx: Pick<JobContext, "attempt">): Promise<void>;
  close(): void;
};

/** Where the mailer writes its one line per outbox message; Fastify's logger fits. */
export type MailLog = { info(details: object, message: string): void };

export type MailerOptions = {
  smtpUrl: string | undefined;
  /** MAIL_FROM verbatim; when unset, the site's title at no-reply@ the public host. */
  from: string | undefined;
  publicUrl: string;
  /** SMTP connections held open to the provider (MAIL_CONCURRENCY). */
  concurrency: number;
  /** Messages a second handed to the provider (MAIL_RATE_PER_SECOND); 0: no limit. */
  ratePerSecond: number;
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

function parseQueuedEmail(payload: unknown): QueuedEmail | QueuedShared {
  const fields = ["to", "subject", "fromName", "messageId"] as const;
  const email = payload as Record<string, unknown> | null;
  if (!email || typeof email !== "object" || fields.some((field) => typeof email[field] !== "string")) {
    throw new PermanentJobError("the queued message is not a message (to, subject, fromName, messageId)");
  }
  const body = email.body as Record<string, unknown> | undefined;
  const hasBody =
    body === undefined
      ? typeof email.html === "string" && typeof email.text === "string"
      : ["id", "slot", "fill"].every((field) => typeof body?.[field] === "string");
  if (!hasBody) throw new PermanentJobError("the queued message has no body (html and text, or a shared body)");
  const headers = email.headers as Record<string, unknown> | undefined;
  if (
    headers !== undefined &&
    (typeof headers !== "object" || Object.values(headers).some((v) => typeof v !== "string"))
  ) {
    throw new PermanentJobError("the queued message's headers are not text");
  }
  if (email.bulk !== undefined && typeof email.bulk !== "boolean") {
    throw new PermanentJobError("the queued message's bulk flag is not true or false");
  }
  return email as QueuedEmail | QueuedShared;
}

/** The queued message whole: a shared body read once per process; gone, the job fails for good. */
function bodyResolver(db: Queryable): (payload: unknown) => Promise<ResolvedEmail> {
  const readBody = createBodyReader(db);
  return async (payload) => {
    const email = parseQueuedEmail(payload);
    if (!("body" in email)) {
      const { html, text, ...rest } = email;
      return { ...rest, body: { html, text } };
    }
    const { body: ref, ...rest } = email;
    const body = await readBody(ref);
    if (!body) throw new PermanentJobError("the message's shared body is gone");
    return { ...rest, body, slotFill: { slot: ref.slot, fill: ref.fill } };
  };
}

/**
 * Headers sent as written: nodemailer would otherwise encode a value with quotes or brackets (List-Id's
 * `"Name" <id>`) as a MIME word, which mail clients do not read as a list. Values are ASCII, made by callers.
 */
function prepared(headers: Record<string, string> | undefined) {
  if (!headers) return undefined;
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, { prepared: true, value: value.replace(/[\r\n]/g, " ") }]),
  );
}

/** An SMTP refusal with a 5xx reply is permanent (no such mailbox, refused content); anything else may pass later. */
function smtpFailure(err: unknown): Error {
  const { responseCode, response, code } = (err ?? {}) as { responseCode?: number; response?: string; code?: string };
  const said = response ?? (err instanceof Error ? err.message : String(err));
  if (responseCode && responseCode >= 500 && responseCode < 600) return new PermanentJobError(said);
  return new Error(code && !said.includes(code) ? `${code}: ${said}` : said);
}

/**
 * A bulk message to a suppressed address is not sent: its job fails at once, saying why, and nothing reaches
 * the server. Transactional messages pass. Messages delivered at once share their lookups' queries.
 */
function suppressionCheck(db: Queryable): (email: Pick<QueuedEmail, "to" | "bulk">) => Promise<void> {
  const lookUp = createBatcher(async (addresses: string[]) => {
    const found = await suppressedAmong(db, addresses);
    return addresses.map((address): Suppression | undefined => found.get(normaliseAddress(address)));
  }, SUPPRESSION_LOOKUPS_PER_QUERY);
  return async (email) => {
    if (!email.bulk) return;
    const entry = await lookUp(email.to);
    if (entry) {
      throw new PermanentJobError(`not sent: ${entry.address} is on the suppression list (${entry.reason})`);
    }
  };
}

/**
 * Delivery over SMTP. nodemailer is loaded by the first message delivered, not at start-up. One pool per
 * provider: its connections and rate are the provider's limits, shared by every message this process sends.
 */
function smtpDelivery(
  deps: {
    db: Queryable;
    clock: Clock;
    refuseIfSuppressed: (email: ResolvedEmail) => Promise<void>;
    resolve: (payload: unknown) => Promise<ResolvedEmail>;
  },
  options: MailerOptions & { smtpUrl: string },
  fromFor: (email: ResolvedEmail) => string | { name: string; address: string },
): Pick<Mailer, "deliver" | "close"> {
  let transport: Promise<Transporter> | undefined;
  // A shared body's parts are encoded once and filled per message (mime-parts.ts); a message of its own is
  // encoded by nodemailer as it goes.
  let fillParts: Promise<(body: MailBody, slot: string, fill: string) => MimeParts> | undefined;
  const contentOf = async ({ body, slotFill }: ResolvedEmail) => {
    if (!slotFill) return body;
    fillParts ??= import("nodemailer/lib/qp").then(createPartsFiller);
    return (await fillParts)(body, slotFill.slot, slotFill.fill);
  };
  const pool = () =>
    import("nodemailer").then(({ createTransport }) =>
      createTransport({
        url: options.smtpUrl,
        pool: true,
        maxConnections: options.concurrency,
        maxMessages: MESSAGES_PER_CONNECTION,
        ...(options.ratePerSecond > 0 ? { rateLimit: options.ratePerSecond, rateDelta: 1000 } : {}),
      }),
    );
  return {
    async deliver(payload) {
      const email = await deps.resolve(payload);
      await deps.refuseIfSuppressed(email);
      transport ??= pool();
      const { to, subject, messageId, headers, replyTo } = email;
      const { html, text } = await contentOf(email);
      const failure = await (await transport)
        .sendMail({ from: fromFor(email), to, subject, html, text, messageId, headers: prepared(headers), replyTo })
        .then(() => undefined, smtpFailure);
      if (!failure) return;
      // The server refused this recipient for good (5xx): no bulk mail goes there again.
      if (failure instanceof PermanentJobError) {
        const entry = { address: to, reason: "smtp_rejected", source: "smtp", detail: failure.message } as const;
        await suppressAddress(deps.db, { ...entry, at: deps.clock.now() });
      }
      throw failure;
    },
    close: () => void transport?.then((t) => t.close()),
  };
}

export function createMailer(deps: { db: Queryable; clock: Clock; log: MailLog }, options: MailerOptions): Mailer {
  const host = new URL(options.publicUrl).hostname;
  const fromFor = (email: ResolvedEmail) =>
    email.fromAddress
      ? { name: email.fromName, address: email.fromAddress }
      : (options.from ?? { name: email.fromName, address: `no-reply@${host}` });
  const queued = (email: OutgoingEmail | Omit<QueuedShared, "messageId">, key: string | undefined): NewJob => {
    const messageId = `<${randomUUID()}@${host}>`;
    return {
      kind: MAIL_JOB,
      payload: { ...email, messageId } satisfies QueuedEmail | QueuedShared,
      key: mailJobKey(key ?? messageId),
      maxAttempts: MAIL_MAX_ATTEMPTS,
      priority: email.bulk ? BULK_PRIORITY : TRANSACTIONAL_PRIORITY,
    };
  };
  const send = async (email: OutgoingEmail, sendOptions: SendOptions = {}) =>
    (await enqueueJobs(sendOptions.db ?? deps.db, [queued(email, sendOptions.key)])).length > 0;
  const sendToMany: Mailer["sendToMany"] = async ({ html, text, headers, ...email }, recipients, { db, slot }) => {
    if (recipients.length === 0) return 0;
    const id = await storeMailBody(db, { html, text }, deps.clock.now());
    const own = (fill: string) =>
      headers &&
      Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value.replaceAll(slot, fill)]));
    const jobs = recipients.map(({ to, key, fill }) =>
      queued({ ...email, to, ...(headers ? { headers: own(fill) } : {}), body: { id, slot, fill } }, key),
    );
    return (await enqueueJobs(db, jobs)).length;
  };
  const refuseIfSuppressed = suppressionCheck(deps.db);
  const resolve = bodyResolver(deps.db);

  if (options.smtpUrl)
    return {
      mode: "smtp",
      send,
      sendToMany,
      ...smtpDelivery({ ...deps, refuseIfSuppressed, resolve }, { ...options, smtpUrl: options.smtpUrl }, fromFor),
    };
  return {
    mode: "outbox",
    send,
    sendToMany,
    async deliver(payload) {
      const email = await resolve(payload);
      await refuseIfSuppressed(email);
      const { html, text } = email.slotFill ? fillBody(email.body, email.slotFill) : email.body;
      // Kept once per Message-ID, however often the job runs.
      const kept = await deps.db
        .insert(emailOutbox)
        .values({
          messageId: email.messageId,
          toAddress: email.to,
          subject: email.subject,
          html,
          text,
          createdAt: deps.clock.now(),
        })
        .onConflictDoNothing({ target: emailOutbox.messageId })
        .returning({ id: emailOutbox.id });
      if (kept.length === 0) return;
      // Development only: with no mail server, the log is how the reader's link reaches whoever runs the site.
      const links = text.match(/https?:\/\/\S+/g) ?? [];
      deps.log.info({ to: email.to, subject: email.subject, links }, "email kept in the outbox (SMTP_URL is not set)");
    },
    close: () => undefined,
  };
}
