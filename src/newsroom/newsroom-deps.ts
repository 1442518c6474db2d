import type { BillingDeps } from "../billing/index.js";
import type { CacheInvalidator } from "../cache/index.js";
import type { Db } from "../db/index.js";
import type { Mailer } from "../email/index.js";
import type { MediaStorage } from "../media/index.js";
import type { Clock } from "../shared/clock.js";

/** What the newsroom API needs from app.ts. */
export type NewsroomDeps = {
  db: Db;
  clock: Clock;
  publicUrl: string;
  mailer: Mailer;
  invalidator: CacheInvalidator;
  billing: BillingDeps;
  /** Where uploaded images go, and the largest file accepted (UPLOAD_MAX_MB). */
  media: { storage: MediaStorage; uploadMaxBytes: number };
  /** Signs preview links (the reader site checks them with the same secret). */
  sessionSecret: string;
};
