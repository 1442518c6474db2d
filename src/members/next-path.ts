/**
 * Where to send a reader after signing in: only a path on this site. "//host" and "/\host" are read by
 * browsers as other sites, and browsers drop tabs and newlines from addresses, so any of those is refused.
 */
export function safeNextPath(raw: string | undefined): string | undefined {
  if (!raw || raw.length > 1000) return undefined;
  if (!raw.startsWith("/") || raw.startsWith("//")) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw)) return undefined;
  return raw;
}
