import { expect, test } from "vitest";
import { readPreviewToken, signPreviewToken } from "./preview-link.js";

const SECRET = "a-secret-of-at-least-thirty-two-characters";
const NOW = new Date("2031-06-01T09:00:00Z");
const claim = {
  articleId: "0b9c7e2a-1d4f-4c1e-9a51-3f6d2b8e7c10",
  audience: "anonymous" as const,
  expiresAt: new Date("2031-06-01T10:00:00Z"),
};

test("a token reads back as its claim until it expires, and as expired from that second on", () => {
  const token = signPreviewToken(claim, SECRET);
  expect(readPreviewToken(token, SECRET, NOW)).toEqual({ kind: "valid", claim });
  expect(readPreviewToken(token, SECRET, claim.expiresAt)).toEqual({ kind: "expired" });
});

test("an edited audience, article, expiry or signature, or another secret, is invalid, never expired", () => {
  const token = signPreviewToken(claim, SECRET);
  const [id, audience, seconds, mac] = token.split(".");
  const edits = [
    `${id}.subscriber.${seconds}.${mac}`,
    `${id?.replace(/^0/, "1")}.${audience}.${seconds}.${mac}`,
    `${id}.${audience}.${Number(seconds) - 7200}.${mac}`,
    `${id}.${audience}.${seconds}.${mac?.slice(1)}`,
    `${token}.extra`,
    "",
  ];
  for (const edited of edits) expect(readPreviewToken(edited, SECRET, NOW), edited).toEqual({ kind: "invalid" });
  expect(readPreviewToken(token, `${SECRET}-other`, NOW)).toEqual({ kind: "invalid" });
});
