/**
 * Offers: admins make, rename, pause and archive them; readers meet them on /subscribe. The discount is fixed
 * once saved, as its Stripe coupon's is: a different discount is a new offer.
 */
import { asc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, type Queryable, queryRows, withTransaction } from "../db/index.js";
import { Conflict, Invalid, NotFound } from "../shared/errors.js";
import type { BillingDeps } from "./deps.js";
import { type OfferState, offerStateOf } from "./offer-state.js";
import { getPlan } from "./queries.js";
import { offers } from "./schema.js";
import { createCoupon, deleteCoupon, renameCoupon, type StripeClient } from "./stripe-client.js";

export type OfferRow = typeof offers.$inferSelect;
export type OfferInterval = OfferRow["appliesTo"];

/** An offer with how many places are taken: redeemed by a subscription, or held by a reader at Checkout. */
export type Offer = OfferRow & { redeemed: number; held: number };

/** Letters, digits, - and _: safe in a URL as it is, so the shared link reads as the code. */
export const OFFER_CODE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$";

const CODE = new RegExp(OFFER_CODE_PATTERN);

export type OfferInput = {
  code: string;
  name: string;
  percentOff?: number | undefined;
  amountOff?: number | undefined;
  duration: OfferRow["duration"];
  durationInMonths?: number | undefined;
  appliesTo: OfferInterval;
  maxRedemptions?: number | null | undefined;
  expiresAt?: Date | null | undefined;
  isDefault?: boolean | undefined;
};

export type OfferChanges = { name?: string; status?: "active" | "inactive"; isDefault?: boolean };

type OfferDeps = Pick<BillingDeps, "db" | "clock" | "stripe" | "currency"> & {
  /** Writes, in the transaction that changes an offer, what must follow that change (the edge's purge). */
  recordChange?: (tx: Queryable) => Promise<void>;
};

// Written out in full: inside a subquery drizzle would name the column without its table, and r.id is meant.
const OFFER_ID = sql.raw(`"offers"."id"`);
const placesTaken = (now: Date) => sql<number>`(SELECT count(*)::int FROM offer_redemptions r
  WHERE r.offer_id = ${OFFER_ID} AND (r.status = 'redeemed' OR r.held_until > ${now}))`;

async function selectOffers(db: Queryable, now: Date, where: SQL | undefined): Promise<Offer[]> {
  const rows = await db
    .select({
      offer: offers,
      redeemed: sql<number>`(SELECT count(*)::int FROM offer_redemptions r
        WHERE r.offer_id = ${OFFER_ID} AND r.status = 'redeemed')`,
      taken: placesTaken(now),
    })
    .from(offers)
    .where(where)
    .orderBy(sql`${offers.status} = 'archived'`, asc(offers.createdAt), asc(offers.id));
  return rows.map((r) => ({
    ...r.offer,
    redeemed: Number(r.redeemed),
    held: Number(r.taken) - Number(r.redeemed),
  }));
}

/** Every offer, archived ones last. */
export function listOffers(db: Queryable, now: Date): Promise<Offer[]> {
  return selectOffers(db, now, undefined);
}

export async function getOffer(db: Queryable, input: { id: string; now: Date }): Promise<Offer> {
  const [offer] = await selectOffers(db, input.now, eq(offers.id, input.id));
  if (!offer) throw new NotFound("OFFER_NOT_FOUND", "There is no offer with that id.");
  return offer;
}

/** The checks TypeBox cannot make: one kind of discount, months only when repeating, a future end, the price. */
async function checkOfferInput(deps: OfferDeps, input: OfferInput): Promise<void> {
  const hasPercent = input.percentOff !== undefined;
  const hasAmount = input.amountOff !== undefined;
  if (hasPercent === hasAmount) {
    throw new Invalid("OFFER_DISCOUNT_REQUIRED", "Give either percentOff or amountOff, not both and not neither.", {
      property: hasPercent ? "amountOff" : "percentOff",
    });
  }
  if ((input.duration === "repeating") !== (input.durationInMonths !== undefined)) {
    throw new Invalid(
      "OFFER_DURATION_MONTHS",
      input.duration === "repeating"
        ? "A repeating offer needs durationInMonths (1 to 36)."
        : `durationInMonths only goes with a repeating offer, not "${input.duration}".`,
      { property: "durationInMonths" },
    );
  }
  if (input.expiresAt && input.expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw new Invalid("OFFER_EXPIRES_IN_PAST", "The offer's end must be in the future.", { property: "expiresAt" });
  }
  if (hasAmount) {
    const plan = await getPlan(deps.db);
    const prices = [
      ...(input.appliesTo !== "year" ? [plan.monthlyAmount] : []),
      ...(input.appliesTo !== "month" && plan.yearlyAmount ? [plan.yearlyAmount] : []),
    ];
    const lowest = Math.min(...prices);
    if (prices.length === 0) {
      throw new Invalid("OFFER_NO_PRICE", "The plan has no yearly price for this offer to apply to.", {
        property: "appliesTo",
      });
    }
    if ((input.amountOff ?? 0) >= lowest) {
      throw new Invalid("OFFER_AMOUNT_TOO_LARGE", `amountOff must be less than the price it applies to (${lowest}).`, {
        property: "amountOff",
        help: "For a free period, give percentOff 100 instead.",
      });
    }
  }
}

/** Saves an offer and, when Stripe is connected, makes its coupon; without Stripe it is made at first checkout. */
export async function createOffer(deps: OfferDeps, input: OfferInput): Promise<Offer> {
  await checkOfferInput(deps, input);
  const now = deps.clock.now();
  const currency = await deps.currency();
  const id = await withTransaction(deps.db, async (tx) => {
    const taken = await queryRows(tx, sql`SELECT 1 FROM offers WHERE lower(code) = lower(${input.code})`);
    if (taken.length > 0) throw codeTaken(input.code);
    if (input.isDefault) await tx.update(offers).set({ isDefault: false }).where(eq(offers.isDefault, true));
    const [row] = await tx
      .insert(offers)
      .values({
        code: input.code,
        name: input.name,
        percentOff: input.percentOff ?? null,
        amountOff: input.amountOff ?? null,
        currency,
        duration: input.duration,
        durationInMonths: input.durationInMonths ?? null,
        appliesTo: input.appliesTo,
        maxRedemptions: input.maxRedemptions ?? null,
        expiresAt: input.expiresAt ?? null,
        isDefault: input.isDefault ?? false,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning({ id: offers.id });
    // Another save of the same code committed between the check and the insert.
    if (!row) throw codeTaken(input.code);
    await deps.recordChange?.(tx);
    return row.id;
  });
  if (deps.stripe) {
    try {
      const stripe = await deps.stripe.client();
      await ensureCoupon({ db: deps.db, stripe }, await getOffer(deps.db, { id, now }));
    } catch (err) {
      // An offer without its coupon would fail at checkout: it is not kept, and the admin saves it again.
      await deps.db.delete(offers).where(eq(offers.id, id));
      throw err;
    }
  }
  return getOffer(deps.db, { id, now });
}

function codeTaken(code: string) {
  return new Conflict("OFFER_CODE_TAKEN", `An offer with the code "${code}" already exists.`, {
    property: "code",
    help: "Codes are compared without regard to case; pick another one.",
  });
}

/** The offer's Stripe coupon, made now if the offer was saved before Stripe was connected. */
export async function ensureCoupon(deps: Pick<OfferDeps, "db"> & { stripe: StripeClient }, offer: OfferRow) {
  if (offer.stripeCouponId) return offer.stripeCouponId;
  const couponId = await createCoupon(deps.stripe, {
    offerId: offer.id,
    name: offer.name,
    percentOff: offer.percentOff,
    amountOff: offer.amountOff,
    currency: offer.currency,
    duration: offer.duration,
    durationInMonths: offer.durationInMonths,
    maxRedemptions: offer.maxRedemptions,
    expiresAt: offer.expiresAt,
  });
  await deps.db.update(offers).set({ stripeCouponId: couponId }).where(eq(offers.id, offer.id));
  return couponId;
}

/** Renames, pauses or resumes an offer, or makes it the default; an archived offer stays as it is. */
export async function changeOffer(deps: OfferDeps, input: { id: string; changes: OfferChanges }): Promise<Offer> {
  const now = deps.clock.now();
  const before = await getOffer(deps.db, { id: input.id, now });
  if (before.status === "archived") {
    throw new Conflict("OFFER_ARCHIVED", "An archived offer cannot be changed.", {
      help: "Make a new offer instead.",
    });
  }
  const { changes } = input;
  await withTransaction(deps.db, async (tx) => {
    if (changes.isDefault) {
      await tx.update(offers).set({ isDefault: false }).where(eq(offers.isDefault, true));
    }
    await tx
      .update(offers)
      .set({ ...changes, updatedAt: now })
      .where(eq(offers.id, input.id));
    await deps.recordChange?.(tx);
  });
  if (changes.name !== undefined && changes.name !== before.name && deps.stripe && before.stripeCouponId) {
    await renameCoupon(await deps.stripe.client(), before.stripeCouponId, changes.name);
  }
  return getOffer(deps.db, { id: input.id, now });
}

/**
 * Ends an offer for good: its link stops working and its Stripe coupon is deleted, so no new discount can come
 * from it. Subscribers who already have it keep it for its duration.
 */
export async function archiveOffer(deps: OfferDeps, id: string): Promise<Offer> {
  const now = deps.clock.now();
  const before = await getOffer(deps.db, { id, now });
  if (before.status !== "archived") {
    if (deps.stripe && before.stripeCouponId) await deleteCoupon(await deps.stripe.client(), before.stripeCouponId);
    await withTransaction(deps.db, async (tx) => {
      await tx
        .update(offers)
        .set({ status: "archived", isDefault: false, stripeCouponId: null, updatedAt: now })
        .where(eq(offers.id, id));
      await deps.recordChange?.(tx);
    });
  }
  return getOffer(deps.db, { id, now });
}

/** Why an offer cannot be taken up; "used" only at checkout, for a member who already had it. */
export type OfferProblem = "unknown" | "expired" | "exhausted" | "ended" | "used";

/** What /subscribe shows for a link's offer: the offer, or why it cannot be used. */
export type OfferLookup =
  | { kind: "none" }
  | { kind: "valid"; offer: Offer }
  | { kind: "invalid"; code: string; problem: OfferProblem; offer: Offer | undefined };

const PROBLEMS: Record<Exclude<OfferState, "active">, OfferProblem> = {
  archived: "ended",
  paused: "ended",
  other_currency: "ended",
  expired: "expired",
  used_up: "exhausted",
};

/** Why an offer cannot be taken up now, if it cannot. */
export function problemWith(offer: Offer, input: { now: Date; currency: string }): OfferProblem | undefined {
  const state = offerStateOf(offer, input);
  return state === "active" ? undefined : PROBLEMS[state];
}

/** The offer a /subscribe link names, or else the default offer if there is a usable one. */
export async function findOfferForReader(
  db: Db,
  input: { code: string | undefined; now: Date; currency: string },
): Promise<OfferLookup> {
  if (input.code === undefined || input.code === "") {
    const [offer] = await selectOffers(db, input.now, eq(offers.isDefault, true));
    return offer && !problemWith(offer, input) ? { kind: "valid", offer } : { kind: "none" };
  }
  // A code no offer could have (a mangled link) needs no query.
  const [offer] = CODE.test(input.code)
    ? await selectOffers(db, input.now, sql`lower(${offers.code}) = lower(${input.code})`)
    : [];
  const problem = offer ? problemWith(offer, input) : "unknown";
  return problem || !offer
    ? { kind: "invalid", code: input.code, problem: problem ?? "unknown", offer }
    : { kind: "valid", offer };
}

/** Whether the offer discounts this plan's price for the interval. */
export function appliesTo(offer: OfferRow, interval: "month" | "year"): boolean {
  return offer.appliesTo === "both" || offer.appliesTo === interval;
}
