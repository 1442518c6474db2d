/** Small pieces every screen uses: loading data, errors, status badges, times. */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { STATUS_LABELS, type Status } from "./types.js";

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

export function StatusBadge({ status }: { status: Status }) {
  return <span class={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
export const formatTime = (iso: string) => timeFormat.format(new Date(iso));

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
