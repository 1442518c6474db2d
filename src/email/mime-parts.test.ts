import { simpleParser } from "mailparser";
import type { SendMailOptions } from "nodemailer";
import * as qp from "nodemailer/lib/qp";
import { describe, expect, test } from "vitest";
import { fillBody, type MailBody } from "./mail-bodies.js";
import { createPartsFiller } from "./mime-parts.js";

const SLOT = "https://member-link.invalid/slot";
const FILL = `https://paper.example/newsletters/unsubscribe?token=${"eyJraW5kIjoibWFuYWdlIn0".repeat(3)}.sig_-A`;
const fillParts = createPartsFiller(qp);

/** The message nodemailer makes of the given parts (filled shared ones, or plain html and text), as sent. */
async function composed(content: Pick<SendMailOptions, "html" | "text">): Promise<string> {
  const { createTransport } = await import("nodemailer");
  const transport = createTransport({ streamTransport: true, buffer: true });
  const info = await transport.sendMail({ from: "desk@paper.example", to: "r@example.test", subject: "S", ...content });
  return (info.message as Buffer).toString("latin1");
}

/** A filled shared body's message read back, beside the same body filled as plain text and sent the usual way. */
async function readBack(body: MailBody, fill = FILL) {
  const raw = await composed(fillParts(body, SLOT, fill));
  const [shared, plain] = await Promise.all([simpleParser(raw), composed(fillBody(body, { slot: SLOT, fill }))]);
  return { raw, shared, plain: await simpleParser(plain) };
}

const bodyLines = (raw: string) => raw.slice(raw.indexOf("\r\n\r\n")).split("\r\n");

describe("a shared body's parts, encoded once and filled per message", () => {
  test("each message reads back as the body with its own fill, in the html and the text", async () => {
    const body = {
      html: `<p>“Quotes” and é</p><a href="${SLOT}">Unsubscribe</a><a href="${SLOT}">again</a>`,
      text: `“Quotes” and é\nUnsubscribe: ${SLOT}\n`,
    };
    for (const fill of [FILL, `${FILL}2`, ""]) {
      const { shared, plain } = await readBack(body, fill);
      expect(shared.html).toBe(fillBody(body, { slot: SLOT, fill }).html);
      expect(shared.text).toBe(plain.text);
      expect(shared.text).toContain(`Unsubscribe: ${fill}\n`);
    }
  });

  test("a fill landing anywhere around a wrapped line's end leaves every line of 76 or fewer and the text intact", async () => {
    for (let lead = 60; lead <= 80; lead++) {
      const line = `${"é".repeat(lead % 3)}${"x".repeat(lead)}`;
      const body = {
        html: `<p>${line}<a href="${SLOT}">${line} “more” </a>${SLOT}</p>`,
        text: `${line}${SLOT}\n${line} \n${SLOT}${line}\r\n${SLOT}`,
      };
      const { raw, shared, plain } = await readBack(body);
      expect(shared.html, `lead ${lead}`).toBe(plain.html);
      expect(shared.text, `lead ${lead}`).toBe(plain.text);
      const tooLong = bodyLines(raw).filter((l) => l.length > 76);
      expect(tooLong, `lead ${lead}`).toEqual([]);
    }
  });

  test("a long article's parts are quoted-printable in lines of 76 or fewer, its words whole", async () => {
    const paragraph = "The minister’s “provisional” budget — voté à minuit — ".repeat(60);
    const body = { html: `<p>${paragraph}</p><a href="${SLOT}">Leave</a>`, text: `${paragraph}\n\n${SLOT}\n` };
    const { raw, shared } = await readBack(body);
    expect(raw).toContain("Content-Type: multipart/alternative");
    expect(raw.match(/Content-Transfer-Encoding: quoted-printable/g)).toHaveLength(2);
    expect(bodyLines(raw).every((l) => l.length <= 76)).toBe(true);
    expect(shared.html).toBe(`<p>${paragraph}</p><a href="${FILL}">Leave</a>`);
    expect(shared.text).toBe(`${paragraph}\n\n${FILL}\n`);
  });
});
