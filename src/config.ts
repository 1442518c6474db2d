/** The only reader of the environment: each variable is declared once, validated, and frozen into Config. */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { type CdnProvider, ENV_VARS, type Env, type LOG_LEVELS, type VarSpec } from "./config/env-vars.js";
import { makeDirectory } from "./shared/make-directory.js";

export type { Env } from "./config/env-vars.js";

export type CdnConfig = Readonly<{
  provider: CdnProvider;
  purgeUrl: string;
  apiToken: string | undefined;
  serviceId: string | undefined;
  zoneId: string | undefined;
  /** CDN_REPURGE_SECONDS: when the second purge of a change runs; 0 for none. */
  repurgeSeconds: number;
}>;

export class ConfigError extends Error {}

type Values = { [K in keyof typeof ENV_VARS]: (typeof ENV_VARS)[K] extends VarSpec<infer T> ? T : never };

export type Config = Readonly<{
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** UPLOAD_MAX_MB in bytes. */
  uploadMaxBytes: number;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** DATABASE_CACHE_MB: the embedded database's shared_buffers. */
  databaseCacheMb: number;
  sessionSecret: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  seedDemo: boolean;
  owner: Readonly<{ email: string; password: string }> | undefined;
  /** `searchMaxBytes`, `contentApiMaxBytes`: search results' and API answers' own shares, on top of `maxBytes`. */
  pageCache: Readonly<{ enabled: boolean; maxBytes: number; searchMaxBytes: number; contentApiMaxBytes: number }>;
  /** Load shedding and per-IP rate limits (limits/request-limits.ts); rate limits of 0 are off. */
  load: Readonly<{
    maxLagMs: number;
    gates: Readonly<Record<"search" | "pages" | "content-api", Readonly<{ maxActive: number; maxQueued: number }>>>;
    rateWindowMs: number;
    rateLimits: Readonly<Record<"search" | "content-api", number>>;
  }>;
  trustProxy: boolean;
  /** Undefined without CDN_PROVIDER: nothing is purged. */
  cdn: CdnConfig | undefined;
  /** WEBSUB_HUB_URL: the hub every feed names and publishing notifies; undefined for none. */
  websubHubUrl: string | undefined;
  /** How long a claimed background job is held before another process may claim it. */
  jobLeaseMs: number;
  mail: Readonly<{
    smtpUrl: string | undefined;
    from: string | undefined;
    concurrency: number;
    ratePerSecond: number;
  }>;
  /** POSTMARK_WEBHOOK_USER and _PASSWORD: the basic-auth credentials Postmark's webhooks carry; undefined: refused. */
  postmarkWebhook: Readonly<{ user: string; password: string }> | undefined;
  /** Undefined without STRIPE_SECRET_KEY: the site then offers no paid subscriptions. */
  stripe: Readonly<{ secretKey: string; webhookSecret: string | undefined; apiUrl: string }> | undefined;
}>;

/** Reads process.env: the one place in the codebase that does. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}

export function loadConfig(env: Env, cwd: string = process.cwd()): Config {
  const values = {} as Record<string, unknown>;
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    const parsed = (spec as VarSpec<unknown>).parse(raw, env);
    if (!parsed.ok) throw new ConfigError(`${name} must be ${parsed.allowed} (got ${JSON.stringify(raw)})`);
    values[name] = parsed.value;
  }
  const v = values as Values;
  const ownerEmail = v.BROADSHEET_OWNER_EMAIL;
  const ownerPassword = v.BROADSHEET_OWNER_PASSWORD;
  if ((ownerEmail === undefined) !== (ownerPassword === undefined)) {
    throw new ConfigError(
      "BROADSHEET_OWNER_EMAIL and BROADSHEET_OWNER_PASSWORD must be set together (only one of them is set)",
    );
  }
  if ((v.POSTMARK_WEBHOOK_USER === undefined) !== (v.POSTMARK_WEBHOOK_PASSWORD === undefined)) {
    throw new ConfigError("POSTMARK_WEBHOOK_USER and POSTMARK_WEBHOOK_PASSWORD must be set together (only one is set)");
  }
  const dataDir = v.DATA_DIR ?? "./data";
  return deepFreeze({
    port: v.PORT,
    host: v.HOST ?? "127.0.0.1",
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ""),
    dataDir: isAbsolute(dataDir) ? dataDir : resolve(cwd, dataDir),
    uploadMaxBytes: v.UPLOAD_MAX_MB * 1024 * 1024,
    databaseUrl: v.DATABASE_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    databaseCacheMb: v.DATABASE_CACHE_MB,
    sessionSecret: v.SESSION_SECRET,
    logLevel: v.LOG_LEVEL,
    seedDemo: v.SEED_DEMO,
    owner: ownerEmail && ownerPassword ? { email: ownerEmail.toLowerCase(), password: ownerPassword } : undefined,
    pageCache: {
      enabled: v.PAGE_CACHE,
      maxBytes: v.PAGE_CACHE_MB * 1024 * 1024,
      searchMaxBytes: v.SEARCH_CACHE_MB * 1024 * 1024,
      contentApiMaxBytes: v.CONTENT_API_CACHE_MB * 1024 * 1024,
    },
    load: {
      maxLagMs: v.LOAD_SHED_LAG_MS,
      gates: {
        search: { maxActive: v.SEARCH_CONCURRENCY, maxQueued: v.SEARCH_QUEUE },
        pages: { maxActive: v.PAGE_CONCURRENCY, maxQueued: v.PAGE_QUEUE },
        "content-api": { maxActive: v.CONTENT_API_CONCURRENCY, maxQueued: v.CONTENT_API_QUEUE },
      },
      rateWindowMs: v.RATE_LIMIT_WINDOW_S * 1000,
      rateLimits: { search: v.SEARCH_RATE_LIMIT, "content-api": v.CONTENT_API_RATE_LIMIT },
    },
    trustProxy: v.TRUST_PROXY,
    cdn: cdnConfig(v),
    websubHubUrl: v.WEBSUB_HUB_URL,
    jobLeaseMs: v.JOB_LEASE_SECONDS * 1000,
    mail: {
      smtpUrl: v.SMTP_URL,
      from: v.MAIL_FROM,
      concurrency: v.MAIL_CONCURRENCY,
      ratePerSecond: v.MAIL_RATE_PER_SECOND,
    },
    postmarkWebhook:
      v.POSTMARK_WEBHOOK_USER && v.POSTMARK_WEBHOOK_PASSWORD
        ? { user: v.POSTMARK_WEBHOOK_USER, password: v.POSTMARK_WEBHOOK_PASSWORD }
        : undefined,
    stripe: v.STRIPE_SECRET_KEY
      ? { secretKey: v.STRIPE_SECRET_KEY, webhookSecret: v.STRIPE_WEBHOOK_SECRET, apiUrl: v.STRIPE_API_URL ?? "" }
      : undefined,
  });
}

const CDN_API_URLS: Partial<Record<CdnProvider, string>> = {
  fastly: "https://api.fastly.com",
  cloudflare: "https://api.cloudflare.com/client/v4",
};
// What each provider cannot purge without, and the variable that gives it.
const CDN_NEEDS: Record<CdnProvider, (keyof Values)[]> = {
  varnish: ["CDN_PURGE_URL"],
  webhook: ["CDN_PURGE_URL"],
  fastly: ["CDN_API_TOKEN", "CDN_SERVICE_ID"],
  cloudflare: ["CDN_API_TOKEN", "CDN_ZONE_ID"],
};

function cdnConfig(v: Values): CdnConfig | undefined {
  const provider = v.CDN_PROVIDER;
  if (provider === "none") return undefined;
  const missing = CDN_NEEDS[provider].filter((name) => v[name] === undefined);
  if (missing.length > 0) throw new ConfigError(`CDN_PROVIDER=${provider} needs ${missing.join(" and ")}`);
  return {
    provider,
    purgeUrl: (v.CDN_PURGE_URL ?? CDN_API_URLS[provider] ?? "").replace(/\/+$/, ""),
    apiToken: v.CDN_API_TOKEN,
    serviceId: v.CDN_SERVICE_ID,
    zoneId: v.CDN_ZONE_ID,
    repurgeSeconds: v.CDN_REPURGE_SECONDS,
  };
}

/** SESSION_SECRET, or one generated on first start and kept in DATA_DIR so restarts keep sessions valid. */
export function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = join(config.dataDir, "session-secret");
  try {
    return checkedSecret(file, readFileSync(file, "utf8"));
  } catch (err) {
    // Only a missing file is made here; any other failure (permissions, a file in DATA_DIR's path) is the cause.
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  makeDirectory(config.dataDir);
  const secret = randomBytes(32).toString("base64url");
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (err) {
    // Another process wrote it first: use theirs. Anything else (a full or read-only disk) is the cause, and a
    // file created but left empty by a full disk is removed so no later start signs cookies with nothing.
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
      removeIfEmpty(file);
      // A failed write names no file: this one does.
      (err as NodeJS.ErrnoException).path ??= file;
      throw err;
    }
    return checkedSecret(file, readFileSync(file, "utf8"));
  }
}

function removeIfEmpty(file: string): void {
  try {
    if (statSync(file).size === 0) rmSync(file);
  } catch {
    // Never created, or the disk refuses even that: the error being thrown says why.
  }
}

function checkedSecret(file: string, text: string): string {
  const secret = text.trim();
  if (secret.length < 32) {
    throw new ConfigError(
      `${file} holds no usable secret (${secret.length} characters, at least 32 needed): delete it to have one made, or set SESSION_SECRET`,
    );
  }
  return secret;
}

/** The README's environment table, generated from ENV_VARS so it cannot drift. */
export function renderEnvTable(): string {
  const rows = Object.entries(ENV_VARS).map(
    ([name, spec]) =>
      `| \`${name}\` | ${(spec as VarSpec<unknown>).shownDefault} | ${(spec as VarSpec<unknown>).doc} |`,
  );
  return ["| variable | default | meaning |", "| --- | --- | --- |", ...rows].join("\n");
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
