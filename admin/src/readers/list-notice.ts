/**
 * A notice handed to the readers list by a screen that leaves for it (a reader deleted on their own page): kept
 * in sessionStorage, not in the address, so a reader's email never lands in a URL or a server log.
 */
const KEY = "newsroom:readers-notice";

export function handNoticeToList(text: string): void {
  try {
    sessionStorage.setItem(KEY, text);
  } catch {
    // Storage refused (private mode): the list opens without the notice.
  }
}

export function takeListNotice(): string | null {
  try {
    const text = sessionStorage.getItem(KEY);
    sessionStorage.removeItem(KEY);
    return text;
  } catch {
    return null;
  }
}
