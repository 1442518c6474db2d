/** Text made safe for XML documents written by hand or by the feed library. */

// XML 1.0 forbids most control characters and lone surrogates even as references; one in a title breaks the document.
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

export function removeInvalidXmlChars(text: string): string {
  return text.replace(INVALID_XML_CHARS, "");
}

/** For element text and attribute values alike. */
export function escapeXml(text: string): string {
  return removeInvalidXmlChars(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
