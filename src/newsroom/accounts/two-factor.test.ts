import { expect, test } from "vitest";
import { openSecret, sealSecret } from "./two-factor.js";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SESSION_SECRET = "a".repeat(40);

test("a sealed secret opens with the same session secret only, and never shows the secret", () => {
  const sealed = sealSecret(SECRET, SESSION_SECRET);
  expect(sealed).toMatch(/^v1\./);
  expect(sealed).not.toContain(SECRET);
  expect(sealSecret(SECRET, SESSION_SECRET)).not.toBe(sealed);
  expect(openSecret(sealed, SESSION_SECRET)).toBe(SECRET);
  expect(openSecret(sealed, "b".repeat(40))).toBeNull();
});

test("a tampered sealed secret does not open", () => {
  const sealed = sealSecret(SECRET, SESSION_SECRET);
  const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === "A" ? "B" : "A"}${sealed.at(-1)}`;
  expect(openSecret(flipped, SESSION_SECRET)).toBeNull();
});

test("a secret stored before sealing is read as it is", () => {
  expect(openSecret(SECRET, SESSION_SECRET)).toBe(SECRET);
});
