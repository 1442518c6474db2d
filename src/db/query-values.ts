/**
 * A failed query's error carries the values the query was given: Drizzle's DrizzleQueryError has `params` and
 * repeats them in its message ("Failed query: … params: a@b.example,…"); PGlite's errors have `params` and
 * `queryOptions`. Those values are readers' addresses, names and tokens, so the log gets the error without them.
 */
const VALUE_KEYS = new Set(["params", "queryOptions"]);
const PARAMS_LINE = "\nparams: ";
const NOT_LOGGED = `${PARAMS_LINE}(not logged)`;

function carriesQueryValues(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 10; e = (e as Error).cause, depth++) {
    if ("params" in e || "queryOptions" in e) return true;
  }
  return false;
}

function withoutValuesLine(text: string): string {
  const at = text.indexOf(PARAMS_LINE);
  return at < 0 ? text : text.slice(0, at) + NOT_LOGGED;
}

function scrubbed(err: object, depth: number): object {
  const descriptors = Object.getOwnPropertyDescriptors(err) as Record<string, PropertyDescriptor>;
  for (const key of VALUE_KEYS) delete descriptors[key];
  const { message, stack } = err as { message?: unknown; stack?: unknown };
  if ("params" in err && typeof message === "string") {
    const cleaned = withoutValuesLine(message);
    descriptors.message = { value: cleaned, writable: true, enumerable: false, configurable: true };
    if (typeof stack === "string") {
      const value = stack.includes(message)
        ? stack.replace(message, () => cleaned)
        : stack.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, NOT_LOGGED);
      // Read through the getter some engines use, written back as a plain value.
      descriptors.stack = { value, writable: true, enumerable: false, configurable: true };
    }
  }
  const cause = descriptors.cause;
  if (cause?.value && typeof cause.value === "object" && depth < 10) {
    cause.value = scrubbed(cause.value, depth + 1);
  }
  return Object.create(Object.getPrototypeOf(err), descriptors);
}

/** The error as it may be logged: the same class, message and stack, without the values of a failed query. */
export function withoutQueryValues(err: unknown): unknown {
  if (!err || typeof err !== "object" || !carriesQueryValues(err)) return err;
  return scrubbed(err, 0);
}
