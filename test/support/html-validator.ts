/** html-validate with its recommended and accessibility rules; style-only rules are off. */
import { HtmlValidate } from "html-validate";

export const htmlValidator = new HtmlValidate({
  extends: ["html-validate:recommended", "html-validate:a11y"],
  rules: {
    // These are about source style (a lowercase doctype is valid HTML), not validity or accessibility.
    "long-title": "off",
    "no-inline-style": "off",
    "attribute-boolean-style": "off",
    "void-style": "off",
    "no-trailing-whitespace": "off",
    "doctype-style": "off",
  },
});
