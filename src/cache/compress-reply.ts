/**
 * Validators and compression for answers the page cache does not make (a signed-in reader's page, the sign-in
 * and subscribe pages, search for a reader with a session, JSON): an ETag per encoding, a 304 when the client
 * holds the bytes, and gzip or brotli above a kilobyte, as cached pages get them (`cached-response.ts`).
 */
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlibConstants } from "node:zlib";
import type { FastifyReply, FastifyRequest } from "fastify";
import { COMPRESSIBLE, etagOf, isNotModified, MIN_COMPRESSED_BYTES } from "./cached-response.js";
import { negotiateEncoding } from "./negotiate-encoding.js";
import { etagFor } from "./page-cache.js";

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** An onSend hook: the payload as the client takes it. Streams, cached answers and other statuses pass as they are. */
export async function compressReply(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) return payload;
  if (reply.statusCode !== 200 || reply.hasHeader("etag") || reply.hasHeader("content-encoding")) return payload;
  if (req.method !== "GET" && req.method !== "HEAD") return payload;
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const contentType = String(reply.getHeader("content-type") ?? "");
  const compressible = COMPRESSIBLE.test(contentType) && body.length > MIN_COMPRESSED_BYTES;
  const encoding = compressible ? negotiateEncoding(req.headers["accept-encoding"], ["br", "gzip"]) : "identity";
  const etag = etagOf({ etag: etagFor(body) }, encoding);
  reply.header("etag", etag);
  if (compressible) addVary(reply, "Accept-Encoding");
  if (isNotModified(req.headers, etag)) {
    reply.code(304);
    return "";
  }
  if (encoding === "identity") return body;
  reply.header("content-encoding", encoding).removeHeader("content-length");
  return encoding === "gzip"
    ? gzipAsync(body, { level: 6 })
    : brotliAsync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } });
}

function addVary(reply: FastifyReply, name: string): void {
  const vary = String(reply.getHeader("vary") ?? "");
  if (!vary.split(",").some((part) => part.trim().toLowerCase() === name.toLowerCase())) {
    reply.header("vary", vary ? `${vary}, ${name}` : name);
  }
}
