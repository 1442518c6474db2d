/**
 * zxcvbn with its common and English dictionaries (several MB, most of a second to load): passwords.ts imports
 * this module only when a password is first checked, so starting the server never pays for it.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary as commonWords } from "@zxcvbn-ts/language-common";
import { dictionary as englishWords, translations } from "@zxcvbn-ts/language-en";

export const passwordEstimator = new ZxcvbnFactory({
  dictionary: { ...commonWords, ...englishWords },
  graphs: adjacencyGraphs,
  translations,
});
