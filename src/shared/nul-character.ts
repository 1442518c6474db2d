/**
 * PostgreSQL text cannot hold U+0000, so a NUL anywhere in a request's input would fail its query with a 500.
 * The app refuses such input at the edge, once, for every route: this finds where the NUL is.
 */
import { Invalid } from "./errors.js";

export type RequestInput = { params?: unknown; query?: unknown; body?: unknown };

const PARTS = ["params", "query", "body"] as const;
const PART_NAMES = { params: "address", query: "query string", body: "body" } as const;

/** Where a value sits: built into a dotted path only when a NUL is found, so deep nesting costs no long strings. */
type Place = { key: string; parent: Place | undefined } | undefined;

function pathOf(place: Place): string {
  const keys: string[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key.replaceAll("\0", "\\0"));
  return keys.reverse().join(".");
}

/** The dotted path of the first string (value or key) holding a NUL, "" for the value itself, or undefined. */
export function findNulCharacter(value: unknown): string | undefined {
  // An explicit stack, not recursion: JSON.parse accepts nesting deep enough to overflow the call stack.
  const stack: [unknown, Place][] = [[value, undefined]];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [item, place] = next;
    if (typeof item === "string") {
      if (item.includes("\0")) return pathOf(place);
    } else if (item !== null && typeof item === "object" && !ArrayBuffer.isView(item)) {
      const keys = Object.keys(item);
      const named = keys.find((key) => key.includes("\0"));
      if (named !== undefined) return pathOf({ key: named, parent: place });
      // Pushed in reverse, so the first NUL in document order is the one named.
      for (const key of keys.reverse()) stack.push([(item as Record<string, unknown>)[key], { key, parent: place }]);
    }
  }
  return undefined;
}

/** An Invalid naming the field that holds a NUL, for the error handler to send; undefined when there is none. */
export function refuseNulCharacter(input: RequestInput): Invalid | undefined {
  for (const part of PARTS) {
    const path = findNulCharacter(input[part]);
    if (path === undefined) continue;
    const property = path || part;
    return new Invalid("NUL_CHARACTER", `${property} contains a NUL character (U+0000), which is not allowed`, {
      property,
      help: `Remove the NUL character from the request's ${PART_NAMES[part]} and send it again.`,
    });
  }
  return undefined;
}
