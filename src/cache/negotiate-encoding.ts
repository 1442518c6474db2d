/**
 * Which content coding a response goes out in, from the request's Accept-Encoding (RFC 9110 §12.5.3). The one
 * place that reads the header: the routes, the front door and the assets route all ask it, so they agree.
 */

export type Compression = "br" | "gzip";
export type ContentCoding = Compression | "identity";

/** Best first: at equal weight brotli (smaller) beats gzip, and either beats sending the bytes as they are. */
const PREFERENCE: readonly ContentCoding[] = ["br", "gzip", "identity"];

// RFC 9110 §12.4.2: a weight is 0 to 1 with at most three decimals.
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/**
 * The coding to send, among the compressed copies `available` and the bytes as they are. A coding is acceptable
 * when the header names it, or `*`, with a weight above 0; the most wanted wins. Without the header, or when it
 * is empty, the bytes go as they are. They are also the fallback when nothing else is acceptable: RFC 9110 §12.1
 * lets a server disregard the header rather than answer 406, so even `identity;q=0` or `*;q=0` gets them.
 */
export function negotiateEncoding(header: string | undefined, available: readonly Compression[]): ContentCoding {
  if (!header) return "identity";
  const weights = parseWeights(header);
  const weightOf = (coding: ContentCoding) => weights.get(coding) ?? weights.get("*") ?? 0;
  let best: ContentCoding = "identity";
  let bestWeight = 0;
  for (const coding of PREFERENCE) {
    if (coding !== "identity" && !available.includes(coding)) continue;
    const weight = weightOf(coding);
    if (weight > bestWeight) {
      best = coding;
      bestWeight = weight;
    }
  }
  return best;
}

/** Coding (lower case) → weight; an entry with a malformed weight is left out, a repeated coding keeps its first. */
function parseWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const entry of header.split(",")) {
    const [name = "", ...params] = entry.split(";").map((part) => part.trim());
    const coding = name.toLowerCase();
    if (!coding || weights.has(coding)) continue;
    let weight = 1;
    for (const param of params) {
      const [key = "", value = ""] = param.split("=").map((part) => part.trim());
      if (key.toLowerCase() !== "q") continue;
      weight = QVALUE.test(value) ? Number(value) : Number.NaN;
    }
    if (!Number.isNaN(weight)) weights.set(coding, weight);
  }
  return weights;
}
