/** The frame every page is shown in, read once per cache generation. */
import * as billing from "../billing/index.js";
import { type PageCache, perGeneration } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import * as newsletters from "../newsletters/index.js";
import type { Clock } from "../shared/clock.js";
import type { SiteAssets } from "./assets.js";
import type { ReaderClass, SiteFrame } from "./views/frame.js";
import type { SubscriptionPrices } from "./views/price-terms.js";

export type FrameLoaderDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  assets: SiteAssets;
  billing: billing.BillingDeps;
};

export type FrameLoader = {
  loadFrame: (readerClass?: ReaderClass) => Promise<SiteFrame>;
  /** The frame last read, when the database cannot give one now (error pages during an outage). */
  lastFrame: (readerClass?: ReaderClass) => SiteFrame | undefined;
  loadSettings: () => Promise<content.SiteSettings>;
};

async function readFrameData(deps: FrameLoaderDeps) {
  const [settings, sections, pages, breaking, active] = await Promise.all([
    content.getSettings(deps.db),
    content.listSections(deps.db),
    content.listStaticPages(deps.db),
    content.findBreakingNews(deps.db),
    newsletters.listActiveNewsletters(deps.db),
  ]);
  const navigation = content.mastheadSections(settings.navigation, sections);
  const prices = await readPrices(deps, settings.currency);
  // The sign-up box at the end of articles: a free newsletter, a default one first. The same for every reader.
  const open = active.filter(newsletters.canSignUpFromPage);
  const pick = open.find((n) => n.isDefault) ?? open[0];
  const signUp = pick ? { name: pick.name, slug: pick.slug, description: pick.description } : null;
  return {
    ...{ settings, sections, navigation, pages, breaking, prices, signUp },
    publicUrl: deps.publicUrl,
    assets: deps.assets,
  };
}

/** The plan and the offer every new reader gets now; none without Stripe, where nothing can be bought. */
async function readPrices(deps: FrameLoaderDeps, currency: string): Promise<SubscriptionPrices | null> {
  if (!deps.billing.stripe) return null;
  const [plan, lookup] = await Promise.all([
    billing.getPlan(deps.db),
    billing.findOfferForReader(deps.db, { code: undefined, now: deps.clock.now(), currency }),
  ]);
  return { plan, offer: lookup.kind === "valid" ? lookup.offer : undefined, currency };
}
type FrameData = Awaited<ReturnType<typeof readFrameData>>;

/** Frame data changes rarely; it is re-read after any cache invalidation. The strip is checked against the time. */
export function createFrameLoader(deps: FrameLoaderDeps): FrameLoader {
  let last: FrameData | undefined;
  const stored = perGeneration(deps.cache, async () => {
    last = await readFrameData(deps);
    return last;
  });
  const frameOf = (data: FrameData, readerClass: ReaderClass): SiteFrame => {
    const now = deps.clock.now();
    const breaking = data.breaking && data.breaking.expiresAt > now ? data.breaking : null;
    const offerEnded = data.prices?.offer?.expiresAt && data.prices.offer.expiresAt <= now;
    const prices = data.prices && offerEnded ? { ...data.prices, offer: undefined } : data.prices;
    return { ...data, breaking, prices, now, readerClass };
  };
  return {
    loadFrame: async (readerClass = "anon") => frameOf(await stored(), readerClass),
    lastFrame: (readerClass = "anon") => (last ? frameOf(last, readerClass) : undefined),
    // For a page that may come from the cache: the settings alone, without a frame made for it.
    loadSettings: async () => (await stored()).settings,
  };
}
