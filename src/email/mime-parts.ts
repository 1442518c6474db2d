/**
 * A shared body's text and HTML parts as MIME, quoted-printable encoded once per body and filled per message.
 * Each slot is cut out before encoding; a message's fill, encoded on its own, goes between soft line breaks,
 * which decoders drop. So a fill never changes how the rest of a part is encoded or wrapped, and a message
 * costs a few string joins instead of encoding the whole body again.
 */
import type * as Qp from "nodemailer/lib/qp";
import type { MailBody } from "./mail-bodies.js";

/** A part's own MIME node, headers and encoded content, as nodemailer takes it (`{ raw }`) in place of a body. */
export type RawPart = { raw: string };
export type MimeParts = { text: RawPart; html: RawPart };

type EncodedBody = { slot: string; text: string[]; html: string[] };

// RFC 2045: encoded lines of at most 76 characters; a run's last line keeps one free for the soft break after it.
const RUN_LINE_LENGTH = 75;
const SOFT_BREAK = "=\r\n";
const HEADS = {
  text: "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
  html: "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
};

/**
 * `(body, slot, fill)` → the message's parts. Each body's encoding is kept while the body is (a WeakMap on the
 * body reader's kept object), so a send encodes a body once however many messages it fills.
 */
export function createPartsFiller(qp: typeof Qp): (body: MailBody, slot: string, fill: string) => MimeParts {
  const encodeRun = (text: string) => qp.wrap(qp.encode(text.replace(/\r?\n/g, "\r\n")), RUN_LINE_LENGTH);
  const encoded = new WeakMap<MailBody, EncodedBody>();
  const encodedBody = (body: MailBody, slot: string) => {
    let kept = encoded.get(body);
    if (kept?.slot !== slot) {
      kept = { slot, text: body.text.split(slot).map(encodeRun), html: body.html.split(slot).map(encodeRun) };
      encoded.set(body, kept);
    }
    return kept;
  };
  return (body, slot, fill) => {
    const { text, html } = encodedBody(body, slot);
    const encodedFill = encodeRun(fill);
    return {
      text: { raw: HEADS.text + joinRuns(text, encodedFill) },
      html: { raw: HEADS.html + joinRuns(html, encodedFill) },
    };
  };
}

/** The encoded runs with the fill between each two, a soft break wherever two runs meet mid-line. */
function joinRuns(runs: string[], fill: string): string {
  let joined = runs[0] ?? "";
  for (const run of runs.slice(1)) joined = joinRun(joinRun(joined, fill), run);
  return joined;
}

function joinRun(before: string, after: string): string {
  if (before === "" || before.endsWith("\n")) return before + after;
  if (after === "") return before;
  return before + SOFT_BREAK + after;
}
