/** Ghost's NQL parser ships without types; this is the part of it Broadsheet calls. */
declare module "@tryghost/nql-lang" {
  /** The filter as Mongo-style JSON ($and, $or, $ne, $gt, $in, $regex…); throws on malformed input. */
  export function parse(input: string, options?: { preserveRelativeDates?: boolean }): unknown;
}
