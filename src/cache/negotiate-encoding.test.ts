import { describe, expect, test } from "vitest";
import { type Compression, type ContentCoding, negotiateEncoding } from "./negotiate-encoding.js";

const BOTH: Compression[] = ["br", "gzip"];

describe("negotiateEncoding with brotli and gzip copies", () => {
  const table: [string | undefined, ContentCoding][] = [
    [undefined, "identity"],
    ["", "identity"],
    ["identity", "identity"],
    ["gzip", "gzip"],
    ["br", "br"],
    ["gzip, deflate, br, zstd", "br"],
    ["gzip, br", "br"],
    ["*", "br"],
    // q=0 means "not acceptable", wherever it stands.
    ["gzip, br;q=0", "gzip"],
    ["br;q=0, gzip", "gzip"],
    ["br;q=0, gzip;q=0", "identity"],
    ["br;q=0, *", "gzip"],
    ["*, br;q=0", "gzip"],
    ["*;q=0, gzip", "gzip"],
    // The heavier weight wins; at equal weight brotli, then gzip, then the bytes as they are.
    ["br;q=0.5, gzip", "gzip"],
    ["br;q=0.9, gzip;q=0.8", "br"],
    ["gzip;q=1.0, br;q=1", "br"],
    ["gzip, identity", "gzip"],
    ["identity;q=0.5, gzip;q=0.4", "identity"],
    ["br;q=0.5", "br"],
    ["deflate", "identity"],
    // Names are case-insensitive, spaces around ";" and "=" are allowed.
    ["GZip", "gzip"],
    ["br ; Q = 0 , gzip", "gzip"],
    // A malformed weight drops its entry, never the header.
    ["br;q=2, gzip", "gzip"],
    ["br;q=abc, gzip;q=0.1", "gzip"],
    ["br;q=0.0001, gzip", "gzip"],
    // Identity excluded and nothing else acceptable: the bytes as they are anyway (RFC 9110 §12.1), not a 406.
    ["identity;q=0", "identity"],
    ["*;q=0", "identity"],
    ["br;q=0, gzip;q=0, identity;q=0", "identity"],
    ["gzip, identity;q=0", "gzip"],
  ];
  test.each(table)("%j gets %s", (header, expected) => {
    expect(negotiateEncoding(header, BOTH)).toBe(expected);
  });
});

describe("negotiateEncoding with fewer copies", () => {
  test("a coding without a copy is never chosen", () => {
    expect(negotiateEncoding("br, gzip;q=0.5", ["gzip"])).toBe("gzip");
    expect(negotiateEncoding("br", ["gzip"])).toBe("identity");
    expect(negotiateEncoding("*", [])).toBe("identity");
    expect(negotiateEncoding("gzip, br", [])).toBe("identity");
  });
});
