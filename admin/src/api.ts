/**
 * The one way the app talks to the server: JSON to /admin/api, errors as ApiError with the server's message.
 * Paths, inputs and answers are typed from api-types.ts (generated from the server's OpenAPI document), so a
 * call the server would refuse, or an answer read wrongly, fails the typecheck.
 */
import type { components, paths } from "./api-types.js";

export type ErrorItem = components["schemas"]["Error"];

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

/** The routes by their path under /admin/api, as the server names them ("/articles/{id}"). */
type Routes = { [P in keyof paths as P extends `/admin/api${infer Rest}` ? Rest : never]: paths[P] };
type Operation<M extends Method, P extends keyof Routes> = NonNullable<Routes[P][Lowercase<M>]>;

/** The paths that answer a method. */
export type PathOf<M extends Method> = {
  [P in keyof Routes]: [Operation<M, P>] extends [never] ? never : P;
}[keyof Routes];

type Json<R> = R extends { content: { "application/json": infer B } } ? B : undefined;
type Responses<O> = O extends { responses: infer R } ? R : never;

/** What a route answers when it succeeds (undefined for 204). */
export type Reply<M extends Method, P extends PathOf<M>> = Json<
  Responses<Operation<M, P>>[keyof Responses<Operation<M, P>> & (200 | 201 | 202 | 204)]
>;
/** What a route answers with a status other than success (a 409 conflict carries both versions). */
export type Refusal<M extends Method, P extends PathOf<M>, S extends number> = Json<
  Responses<Operation<M, P>>[keyof Responses<Operation<M, P>> & S]
>;

type Params<O> = O extends { parameters: { path: infer A } } ? { params: A } : unknown;
type Query<O> = O extends { parameters: { query?: infer Q } }
  ? [NonNullable<Q>] extends [never]
    ? unknown
    : undefined extends Q
      ? { query?: NonNullable<Q> }
      : { query: Q }
  : unknown;
type Body<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? { body: B } : unknown;
/** What a call sends: the path's {placeholders}, the query and the JSON body, each only where the route has one. */
export type Input<M extends Method, P extends PathOf<M>> = Params<Operation<M, P>> &
  Query<Operation<M, P>> &
  Body<Operation<M, P>>;

type Sent = {
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
};

/** Sent when the session ends mid-work, so the shell can ask for the password again without losing the page. */
export const SIGNED_OUT_EVENT = "newsroom:signed-out";

/** Calls a route: `api("PUT", "/articles/{id}", { params: { id }, body })`. */
export async function api<M extends Method, P extends PathOf<M>>(
  method: M,
  path: P,
  ...[input]: object extends Input<M, P> ? [input?: Input<M, P>] : [input: Input<M, P>]
): Promise<Reply<M, P>> {
  const sent = (input ?? {}) as Sent;
  const init: RequestInit = { method, credentials: "same-origin", headers: { accept: "application/json" } };
  if (sent.body !== undefined) {
    init.body = JSON.stringify(sent.body);
    init.headers = { ...init.headers, "content-type": "application/json" };
  }
  return send(`${fill(path, sent.params)}${query(sent.query ?? {})}`, path, init) as Promise<Reply<M, P>>;
}

/** Sends one file as multipart/form-data (the browser writes the boundary). */
export async function uploadFile(path: "/media", file: File): Promise<Reply<"POST", "/media">> {
  const form = new FormData();
  form.append("file", file);
  const init: RequestInit = {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json" },
    body: form,
  };
  return send(path, path, init) as Promise<Reply<"POST", "/media">>;
}

/** "/articles/{id}" with its placeholders filled in, each encoded. */
function fill(path: string, params: Sent["params"]): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${path} needs ${name}`);
    return encodeURIComponent(String(value));
  });
}

async function send(url: string, route: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`/admin/api${url}`, init);
  } catch {
    throw new ApiError(
      0,
      "OFFLINE",
      "The server could not be reached. Check the connection and try again.",
      null,
      null,
    );
  }
  if (res.status === 204) return undefined;
  const data = (await res.json().catch(() => null)) as { errors?: Partial<ErrorItem>[] } | null;
  if (!res.ok) {
    const first = data?.errors?.[0];
    if (res.status === 401 && route !== "/session") window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(
      res.status,
      first?.code ?? "HTTP_ERROR",
      first?.message ?? `The server answered ${res.status}`,
      first?.property ?? null,
      data,
    );
  }
  return data;
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
