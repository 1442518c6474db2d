/** Small pieces every screen uses: loading data, errors, status badges, times. */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ApiError } from "./api.js";
import { MEMBER_STATE_LABELS, type MemberState, STATUS_LABELS, type Status } from "./types.js";

export type Loaded<T> = { data: T | undefined; error: string | null; loading: boolean; reload: () => void };

/** Runs `load` when `key` changes; the newest answer wins when several are in flight. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setLoading(true);
    load()
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

export function ErrorNote({ children }: { children: ComponentChildren }) {
  return (
    <p class="alert alert-error" role="alert">
      {children}
    </p>
  );
}

/** What a screen says about the last thing done there: done (a status) or refused (an alert). */
export type Notice = { ok: boolean; text: string };

export const failureNotice = (err: unknown): Notice => ({
  ok: false,
  text: err instanceof Error ? err.message : String(err),
});

/** What a form says about its last save: done (a status) or refused (an alert). */
export type FormMessage = { tone: "ok" | "error"; text: string };

export function FormMessageLine({ message }: { message: FormMessage | null }) {
  if (!message) return null;
  return (
    <p class={`alert alert-${message.tone}`} role={message.tone === "error" ? "alert" : "status"}>
      {message.text}
    </p>
  );
}

export function NoticeBar({ notice, onDismiss }: { notice: Notice | null; onDismiss: () => void }) {
  if (!notice) return null;
  return (
    <p class={`alert ${notice.ok ? "alert-ok" : "alert-error"}`} role={notice.ok ? "status" : "alert"}>
      {notice.text}
      <button type="button" class="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </p>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  return <span class={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function MemberStateBadge({ state }: { state: MemberState }) {
  return <span class={`badge badge-${state}`}>{MEMBER_STATE_LABELS[state]}</span>;
}

/** A failed save: the server's message and, for a validation error, the field it names. */
export type FormError = { message: string; property: string | null };

export function formErrorOf(err: unknown): FormError {
  if (err instanceof ApiError && err.code === "VALIDATION_FAILED" && err.property) {
    return { message: validationMessage(err.message, err.property), property: err.property };
  }
  if (err instanceof ApiError) return { message: err.message, property: err.property };
  return { message: err instanceof Error ? err.message : String(err), property: null };
}

/** The schema's words without the "body.name" they start with, shown under the field they are about. */
function validationMessage(message: string, property: string): string {
  const at = message.indexOf(`.${property} `);
  const rest = at >= 0 && at < 20 ? message.slice(at + property.length + 2) : message;
  if (rest === "Expected string length greater or equal to 1") return "This cannot be empty.";
  return rest[0]!.toUpperCase() + rest.slice(1);
}

/** Whether the error belongs to `name` (or a property inside it, as `paywallTexts.register`). */
export const isErrorOf = (error: FormError | null, name: string): boolean =>
  Boolean(error?.property && (error.property === name || error.property.startsWith(`${name}.`)));

/** The error under the field it names; give the input aria-describedby={`${name}-error`}. */
export function FieldError({ error, name }: { error: FormError | null; name: string }) {
  if (!error || !isErrorOf(error, name)) return null;
  return (
    <p class="field-error" id={`${name}-error`}>
      {error.message}
    </p>
  );
}

/** The props that tie an input to its FieldError. */
export const invalidProps = (error: FormError | null, name: string) =>
  isErrorOf(error, name) ? { "aria-invalid": true, "aria-describedby": `${name}-error` } : {};

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

/** "3 min ago", "yesterday", then the date: how long ago something was saved or published. */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  if (seconds < 172_800) return "yesterday";
  return formatTime(iso);
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1>{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

export function NotFoundView() {
  return (
    <section class="panel">
      <h1>Not found</h1>
      <p>
        There is nothing at this address. <a href="/admin/articles">Back to the articles</a>.
      </p>
    </section>
  );
}

/**
 * The search box of a filtered list. Uncontrolled on purpose: a controlled `value` is written back on every
 * re-render, so a list or a card finishing its load would wipe what the person is typing. The key gives a
 * fresh box, showing the address's query, when the address changes (back, forward, a cleared filter).
 */
export function SearchField({ label, placeholder, query }: { label: string; placeholder: string; query: string }) {
  return (
    <label class="field field-grow">
      <span class="sr-only">{label}</span>
      <input key={query} type="search" name="q" placeholder={placeholder} defaultValue={query} maxLength={200} />
    </label>
  );
}

/**
 * One change at a time on a list screen: `change` runs `work` unless one is under way, then says how it went in
 * `notice` and reloads the list (`reload`) when it worked.
 */
export function useListChange(reload: () => void) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);
  const change = async (work: () => Promise<unknown>, ok: string) => {
    if (busy) return;
    setBusy(true);
    try {
      await work();
      setNotice({ ok: true, text: ok });
      reload();
    } catch (err) {
      setNotice(failureNotice(err));
    } finally {
      setBusy(false);
    }
  };
  return { notice, setNotice, busy, change };
}
