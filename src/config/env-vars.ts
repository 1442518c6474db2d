/** Every environment variable Broadsheet reads: its parser, its default and its line in the README table. */

type Parsed<T> = { ok: true; value: T } | { ok: false; allowed: string };

export type VarSpec<T> = {
  doc: string;
  /** How the default reads in the README table. */
  shownDefault: string;
  parse(raw: string | undefined, env: Env): Parsed<T>;
};

export type Env = Record<string, string | undefined>;

function intVar(opts: { default: number; min: number; max: number; doc: string }): VarSpec<number> {
  return {
    doc: opts.doc,
    shownDefault: String(opts.default),
    parse(raw) {
      if (raw === undefined || raw === "") return { ok: true, value: opts.default };
      const n = Number(raw);
      if (/^\d+$/.test(raw.trim()) && n >= opts.min && n <= opts.max) return { ok: true, value: n };
      return { ok: false, allowed: `an integer from ${opts.min} to ${opts.max}` };
    },
  };
}

function boolVar(opts: { default: boolean; doc: string }): VarSpec<boolean> {
  return {
    doc: opts.doc,
    shownDefault: String(opts.default),
    parse(raw) {
      if (raw === undefined || raw === "") return { ok: true, value: opts.default };
      const v = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(v)) return { ok: true, value: true };
      if (["false", "0", "no", "off"].includes(v)) return { ok: true, value: false };
      return { ok: false, allowed: "true or false" };
    },
  };
}

function oneOfVar<T extends string>(opts: { default: T; values: readonly T[]; doc: string }): VarSpec<T> {
  return {
    doc: opts.doc,
    shownDefault: opts.default,
    parse(raw) {
      if (raw === undefined || raw === "") return { ok: true, value: opts.default };
      const v = raw.trim().toLowerCase() as T;
      if (opts.values.includes(v)) return { ok: true, value: v };
      return { ok: false, allowed: `one of ${opts.values.join(", ")}` };
    },
  };
}

function stringVar(opts: {
  doc: string;
  shownDefault: string;
  default: (env: Env) => string | undefined;
  check?: (v: string) => string | undefined;
}): VarSpec<string | undefined> {
  return {
    doc: opts.doc,
    shownDefault: opts.shownDefault,
    parse(raw, env) {
      if (raw === undefined || raw === "") return { ok: true, value: opts.default(env) };
      const problem = opts.check?.(raw);
      return problem ? { ok: false, allowed: problem } : { ok: true, value: raw };
    },
  };
}

function urlCheck(protocols: string[]): (v: string) => string | undefined {
  return (v) => {
    try {
      const url = new URL(v);
      return protocols.includes(url.protocol) ? undefined : `a URL starting with ${protocols.join(" or ")}//`;
    } catch {
      return `a URL starting with ${protocols.join(" or ")}//`;
    }
  };
}

export const CDN_PROVIDERS = ["varnish", "fastly", "cloudflare", "webhook"] as const;
export type CdnProvider = (typeof CDN_PROVIDERS)[number];

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const ENV_VARS = {
  PORT: intVar({ default: 3000, min: 0, max: 65535, doc: "TCP port the server listens on (0 picks a free one)" }),
  HOST: stringVar({
    doc: "Address to listen on; 0.0.0.0 to accept connections from other machines",
    shownDefault: "127.0.0.1",
    default: () => "127.0.0.1",
  }),
  PUBLIC_URL: stringVar({
    doc: "The site's public address, used in links, feeds and emails",
    shownDefault: "http://localhost:PORT",
    default: () => undefined,
    check: urlCheck(["http:", "https:"]),
  }),
  DATA_DIR: stringVar({
    doc: "Where the embedded database, the session secret and uploads live",
    shownDefault: "./data",
    default: () => "./data",
  }),
  UPLOAD_MAX_MB: intVar({
    default: 20,
    min: 1,
    max: 200,
    doc: "Largest image file the newsroom may upload, in MiB; images are kept in DATA_DIR/media",
  }),
  DATABASE_URL: stringVar({
    doc: "A PostgreSQL server to use instead of the embedded database (postgres://user@host:5432/db)",
    shownDefault: "(unset: embedded PGlite in DATA_DIR)",
    default: () => undefined,
    check: urlCheck(["postgres:", "postgresql:"]),
  }),
  DATABASE_POOL_SIZE: intVar({ default: 10, min: 1, max: 200, doc: "Connections per process to a PostgreSQL server" }),
  DATABASE_CACHE_MB: intVar({
    default: 16,
    min: 1,
    max: 4096,
    doc: "Embedded database only: memory it keeps table and index pages in (PostgreSQL's shared_buffers), in MiB; the operating system caches the rest of its files",
  }),
  SESSION_SECRET: stringVar({
    doc: "Secret for signing cookies and sealing two-factor secrets, at least 32 characters; set the same value on every process when scaling out",
    shownDefault: "(generated once, kept in DATA_DIR/session-secret)",
    default: () => undefined,
    check: (v) => (v.length >= 32 ? undefined : "a string of at least 32 characters"),
  }),
  LOG_LEVEL: oneOfVar<(typeof LOG_LEVELS)[number]>({
    default: "info",
    values: LOG_LEVELS,
    doc: "How much the JSON log says",
  }),
  SEED_DEMO: boolVar({ default: true, doc: "Fill an empty database with the demo newspaper on first start" }),
  BROADSHEET_OWNER_EMAIL: stringVar({
    doc: "Email of the owner account created on first start (with BROADSHEET_OWNER_PASSWORD)",
    shownDefault: "(unset: a one-time setup link is printed)",
    default: () => undefined,
    check: (v) => (/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? undefined : "an email address"),
  }),
  BROADSHEET_OWNER_PASSWORD: stringVar({
    doc: "Password of that owner account: at least 10 characters and hard to guess (zxcvbn score 3 or more)",
    shownDefault: "(unset)",
    default: () => undefined,
    check: (v) => (v.length >= 10 ? undefined : "a password of at least 10 characters"),
  }),
  PAGE_CACHE: boolVar({ default: true, doc: "Serve anonymous pages from the in-process cache of rendered HTML" }),
  PAGE_CACHE_MB: intVar({ default: 64, min: 1, max: 4096, doc: "Memory the page cache may use, in MiB" }),
  SEARCH_CACHE_MB: intVar({
    default: 16,
    min: 1,
    max: 4096,
    doc: "Memory for cached search results, in MiB, on top of PAGE_CACHE_MB: searches anyone can make up never push other pages out",
  }),
  CONTENT_API_CACHE_MB: intVar({
    default: 16,
    min: 1,
    max: 4096,
    doc: "Memory for cached Content API answers, in MiB, on top of PAGE_CACHE_MB: queries anyone with the public key can make up never push pages out",
  }),
  SEARCH_RATE_LIMIT: intVar({
    default: 120,
    min: 0,
    max: 1_000_000,
    doc: "Searches one IP may make per RATE_LIMIT_WINDOW_S, then 429 with Retry-After; 0: no limit",
  }),
  CONTENT_API_RATE_LIMIT: intVar({
    default: 600,
    min: 0,
    max: 1_000_000,
    doc: "Content API requests one IP may make per RATE_LIMIT_WINDOW_S, then 429 with Retry-After; 0: no limit",
  }),
  RATE_LIMIT_WINDOW_S: intVar({
    default: 60,
    min: 1,
    max: 86_400,
    doc: "The window of the per-IP rate limits, in seconds; every process on one database counts together",
  }),
  SEARCH_CONCURRENCY: intVar({
    default: 4,
    min: 1,
    max: 10_000,
    doc: "Searches not in the cache that run at once; more wait their turn",
  }),
  SEARCH_QUEUE: intVar({
    default: 32,
    min: 0,
    max: 100_000,
    doc: "Searches that may wait for a turn; past that a new one answers 503 with Retry-After at once",
  }),
  PAGE_CONCURRENCY: intVar({
    default: 8,
    min: 1,
    max: 10_000,
    doc: "Pages not in the cache that are read and rendered at once; more wait their turn",
  }),
  PAGE_QUEUE: intVar({
    default: 64,
    min: 0,
    max: 100_000,
    doc: "Pages that may wait for a turn; past that a new one answers 503 with Retry-After at once (cached pages always answer)",
  }),
  CONTENT_API_CONCURRENCY: intVar({
    default: 8,
    min: 1,
    max: 10_000,
    doc: "Content API answers not in the cache that are read at once; more wait their turn",
  }),
  CONTENT_API_QUEUE: intVar({
    default: 64,
    min: 0,
    max: 100_000,
    doc: "Content API answers that may wait for a turn; past that a new one answers 503 with Retry-After at once",
  }),
  LOAD_SHED_LAG_MS: intVar({
    default: 50,
    min: 0,
    max: 60_000,
    doc: "While the event loop is this far behind, in ms, work the cache cannot answer gets 503 with Retry-After at once; 0: never",
  }),
  TRUST_PROXY: boolVar({
    doc: "A reverse proxy or CDN is in front: take the client address from X-Forwarded-For",
    default: false,
  }),
  CDN_PROVIDER: oneOfVar<"none" | CdnProvider>({
    default: "none",
    values: ["none", ...CDN_PROVIDERS],
    doc: "The shared cache in front of the site, purged by surrogate key on every change: varnish (xkey), fastly, cloudflare, or webhook (the keys POSTed as JSON)",
  }),
  CDN_PURGE_URL: stringVar({
    doc: "Where purges go: Varnish's address (http://varnish:6081/), the webhook's URL, or the Fastly or Cloudflare API (change those only for a stand-in)",
    shownDefault: "fastly: https://api.fastly.com; cloudflare: https://api.cloudflare.com/client/v4",
    default: () => undefined,
    check: urlCheck(["http:", "https:"]),
  }),
  CDN_API_TOKEN: stringVar({
    doc: "Fastly: an API token with purge_select; Cloudflare: an API token with Cache Purge; webhook: sent as a Bearer token",
    shownDefault: "(unset)",
    default: () => undefined,
  }),
  CDN_SERVICE_ID: stringVar({ doc: "Fastly: the service's id", shownDefault: "(unset)", default: () => undefined }),
  CDN_ZONE_ID: stringVar({ doc: "Cloudflare: the zone's id", shownDefault: "(unset)", default: () => undefined }),
  CDN_REPURGE_SECONDS: intVar({
    default: 5,
    min: 0,
    max: 3600,
    doc: "Each change is purged at the edge twice: at once, and again this many seconds later, so a copy the edge refetched from a process that had not yet heard of the change is dropped too; 0: once only",
  }),
  WEBSUB_HUB_URL: stringVar({
    doc: "A WebSub hub that feed readers subscribe at: every feed names it, and it is told of each feed that changes",
    shownDefault: "(unset: feeds name no hub)",
    default: () => undefined,
    check: urlCheck(["http:", "https:"]),
  }),
  SMTP_URL: stringVar({
    doc: "Mail server for outgoing email (smtp://user:pass@host:587 or smtps://…:465)",
    shownDefault: "(unset: email is kept in the database outbox and its links are logged)",
    default: () => undefined,
    check: urlCheck(["smtp:", "smtps:"]),
  }),
  MAIL_FROM: stringVar({
    doc: "Sender of outgoing email, like `The Post <news@post.example>`",
    shownDefault: "the site's title, at no-reply@ the host of PUBLIC_URL",
    default: () => undefined,
  }),
  JOB_LEASE_SECONDS: intVar({
    default: 60,
    min: 1,
    max: 3600,
    doc: "How long a process holds a background job it claimed (renewed while it runs); a crashed process's jobs are claimed again after this",
  }),
  MAIL_CONCURRENCY: intVar({
    default: 4,
    min: 1,
    max: 100,
    doc: "SMTP connections per process, each sending one message at a time (the provider's connection limit); 8 messages per connection are held ready, so none waits on the database",
  }),
  MAIL_RATE_PER_SECOND: intVar({
    default: 10,
    min: 0,
    max: 10_000,
    doc: "Messages a second each process hands to the SMTP server (the provider's rate limit); 0: no limit",
  }),
  POSTMARK_WEBHOOK_USER: stringVar({
    doc: "User name of the basic-auth credentials set on Postmark's bounce and spam-complaint webhooks (PUBLIC_URL/webhooks/postmark)",
    shownDefault: "(unset: Postmark webhooks are refused)",
    default: () => undefined,
    check: (v) =>
      /^[\x21-\x39\x3b-\x7e]{1,200}$/.test(v) ? undefined : "1–200 printable characters, no colon or space",
  }),
  POSTMARK_WEBHOOK_PASSWORD: stringVar({
    doc: "Password of those credentials; at least 16 characters",
    shownDefault: "(unset: Postmark webhooks are refused)",
    default: () => undefined,
    check: (v) => (/^[\x21-\x7e]{16,200}$/.test(v) ? undefined : "16–200 printable characters, no space"),
  }),
  STRIPE_SECRET_KEY: stringVar({
    doc: "Stripe secret key (sk_live_… or sk_test_…); without it subscriptions are not offered, complimentary access still works",
    shownDefault: "(unset: no paid subscriptions)",
    default: () => undefined,
    check: (v) =>
      /^(sk|rk)_(live|test)_[A-Za-z0-9]+$/.test(v) ? undefined : "a Stripe secret key (sk_live_… or sk_test_…)",
  }),
  STRIPE_WEBHOOK_SECRET: stringVar({
    doc: "Signing secret of the Stripe webhook endpoint PUBLIC_URL/webhooks/stripe (whsec_…)",
    shownDefault: "(unset: webhooks are refused)",
    default: () => undefined,
    check: (v) => (/^whsec_[A-Za-z0-9]+$/.test(v) ? undefined : "a webhook signing secret (whsec_…)"),
  }),
  STRIPE_API_URL: stringVar({
    doc: "Where the Stripe API is; change it only to point at a local stand-in such as stripe-mock",
    shownDefault: "https://api.stripe.com",
    default: () => "https://api.stripe.com",
    check: urlCheck(["http:", "https:"]),
  }),
} satisfies Record<string, VarSpec<unknown>>;
