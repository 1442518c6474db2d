/** The one way the app talks to the server: JSON to /admin/api, errors as ApiError with the server's message. */

export type ErrorItem = { type: string; code: string; message: string; property: string | null; help: string | null };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly property: string | null,
    /** The whole answer: a 409 conflict carries both versions. */
    readonly body: unknown,
  ) {
    super(message);
  }
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Sent when the session ends mid-work, so the shell can ask for the password again without losing the page. */
export const SIGNED_OUT_EVENT = "newsroom:signed-out";

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { accept: "application/json" } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { ...init.headers, "content-type": "application/json" };
  }
  return send<T>(path, init);
}

/** Sends one file as multipart/form-data (the browser writes the boundary). */
export function uploadFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append("file", file);
  return send<T>(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json" },
    body: form,
  });
}

async function send<T>(path: string, init: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/admin/api${path}`, init);
  } catch {
    throw new ApiError(
      0,
      "OFFLINE",
      "The server could not be reached. Check the connection and try again.",
      null,
      null,
    );
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => null)) as { errors?: ErrorItem[] } | null;
  if (!res.ok) {
    const first = data?.errors?.[0];
    if (res.status === 401 && path !== "/session") window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(
      res.status,
      first?.code ?? "HTTP_ERROR",
      first?.message ?? `The server answered ${res.status}`,
      first?.property ?? null,
      data,
    );
  }
  return data as T;
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
