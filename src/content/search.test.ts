import { describe, expect, test } from "vitest";
import { requiredPhrases } from "./search.js";

describe("requiredPhrases", () => {
  test.each([
    ['"harbour strike" talks', ["harbour strike"]],
    ['talks "harbour strike" "wind tender"', ["harbour strike", "wind tender"]],
    ["cease-fire talks", ["cease-fire"]],
    ['"an unclosed phrase', ["an unclosed phrase"]],
    ['talks -"harbour strike" -cease-fire', []],
    ['"harbour strike" or ferry', []],
    ['"harbour strike" OR ferry', []],
    ['talks"harbour strike"', []],
    ["plain words only", []],
  ])("%j must hold %j", (text, phrases) => {
    expect(requiredPhrases(text)).toEqual(phrases);
  });
});
