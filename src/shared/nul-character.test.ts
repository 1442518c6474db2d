import { expect, test } from "vitest";
import { findNulCharacter, refuseNulCharacter } from "./nul-character.js";

test.each([
  { value: "plain", path: undefined },
  { value: "a\0b", path: "" },
  { value: { title: "ok", tags: ["x", "y\0"] }, path: "tags.1" },
  { value: { doc: { content: [{ text: "a" }, { content: [{ text: "\0" }] }] } }, path: "doc.content.1.content.0.text" },
  { value: { "bad\0key": "x" }, path: "bad\\0key" },
  { value: { a: "\0", b: "\0" }, path: "a" },
  { value: Buffer.from("a\0b"), path: undefined },
  { value: { n: 1, flag: true, nothing: null }, path: undefined },
])("a NUL in $value is found at $path", ({ value, path }) => {
  expect(findNulCharacter(value)).toBe(path);
});

test("nesting deeper than the call stack allows is walked without overflowing it", () => {
  const deep = JSON.parse(`${"[".repeat(200_000)}"\\u0000"${"]".repeat(200_000)}`);
  expect(findNulCharacter(deep)?.split(".").length).toBe(200_000);
});

test("the refusal names the field and says which part of the request holds it", () => {
  const refused = refuseNulCharacter({ params: { id: "1" }, query: { q: "a\0" }, body: undefined });
  expect(refused).toMatchObject({ status: 400, code: "NUL_CHARACTER", property: "q" });
  expect(refused?.help).toContain("query string");
  expect(refuseNulCharacter({ body: "raw\0text" })?.property).toBe("body");
  expect(refuseNulCharacter({ params: {}, query: {}, body: { name: "Ada" } })).toBeUndefined();
});
