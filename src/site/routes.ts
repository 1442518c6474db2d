/** The reader site: each page family's routes, registered in turn with what each needs. */
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type * as billing from "../billing/index.js";
import { type PageCache, perGeneration } from "../cache/index.js";
import * as content from "../content/index.js";
import type { Db } from "../db/index.js";
import type { MemberDeps } from "../members/index.js";
import type { PaywallCounters } from "../paywall/index.js";
import type { Clock } from "../shared/clock.js";
import type { CropPicture, PictureFiles } from "../shared/picture-files.js";
import { accountRoutes } from "./account/account-routes.js";
import { signInRoutes } from "./account/sign-in-routes.js";
import { articleRoutes } from "./article-routes.js";
import { assetRoutes } from "./asset-routes.js";
import type { SiteAssets } from "./assets.js";
import { classPageRememberer } from "./cookie-decisions.js";
import { createErrorPageRenderer, type ErrorPageInput } from "./error-pages.js";
import { faviconRoutes } from "./favicon-routes.js";
import { createFrameLoader } from "./frame-loader.js";
import { frontPageRoutes } from "./front-page-routes.js";
import { listingRoutes } from "./listing-routes.js";
import { mostReadRoutes } from "./most-read-routes.js";
import { newsletterRoutes } from "./newsletters/newsletter-routes.js";
import { unsubscribeRoutes } from "./newsletters/unsubscribe-routes.js";
import { previewRoutes } from "./preview-routes.js";
import { createReaderOf, type StaffCheck } from "./reader.js";
import { searchRoutes } from "./search-routes.js";
import type { AdmitWork } from "./serve-page.js";
import { shareImageRoutes } from "./share-routes.js";
import { createSlugMisses } from "./slug-misses.js";
import { staticPageRoutes } from "./static-page-routes.js";
import { subscribeRoutes } from "./subscribe/subscribe-routes.js";

export type SiteDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  assets: SiteAssets;
  members: MemberDeps;
  paywallCounters: PaywallCounters;
  /** Reads per article for "Most read", counted in memory; a round saves them. */
  readCounts: content.ReadCounts;
  billing: billing.BillingDeps;
  isStaff: StaffCheck;
  /** A turn for work the page cache could not answer; refused (503) while the server sheds load. */
  admit: AdmitWork;
  /** Articles' pictures and the cut that makes their share crops (media's, handed over by app.ts). */
  pictures: PictureFiles;
  cropPicture: CropPicture;
};

export async function siteRoutes(
  app: FastifyInstance,
  deps: SiteDeps,
): Promise<{ renderErrorPage(input: ErrorPageInput, req?: FastifyRequest): Promise<string> }> {
  await assetRoutes(app, deps.assets);
  const { loadFrame, lastFrame, loadSettings } = createFrameLoader(deps);
  // The search form's author choices: a byline or a name changes only with an invalidation.
  const loadBylines = perGeneration(deps.cache, () => content.listBylines(deps.db));
  const slugs = createSlugMisses(deps);
  // Who is reading; the cache key names only the reader's class, never the reader.
  const readerOf = createReaderOf(deps.members, deps.isStaff);
  const accountDeps = {
    ...deps.members,
    loadFrame,
    paywallCounters: deps.paywallCounters,
    billing: deps.billing,
    isStaff: deps.isStaff,
  };
  await app.register(async (accountPages) => {
    // TypeBox's own checker: a form field these routes do not know is refused, not silently dropped by ajv.
    accountPages.setValidatorCompiler(TypeBoxValidatorCompiler);
    await signInRoutes(accountPages, accountDeps);
    await accountRoutes(accountPages, accountDeps);
    await newsletterRoutes(accountPages, { ...accountDeps, cache: deps.cache, readerOf });
    await accountPages.register(async (links) =>
      unsubscribeRoutes(links, { ...accountDeps, cache: deps.cache, readerOf }),
    );
  });
  await subscribeRoutes(app, accountDeps);
  await previewRoutes(app, { db: deps.db, clock: deps.clock, sessionSecret: deps.members.sessionSecret, loadFrame });

  await shareImageRoutes(app, { ...deps, loadSettings });
  await mostReadRoutes(app, { ...deps, loadSettings });
  await faviconRoutes(app, { loadSettings });
  await searchRoutes(app, { db: deps.db, cache: deps.cache, readerOf, loadFrame, loadBylines, admit: deps.admit });

  // The front page, listings and static pages differ only by reader class: the front door may answer them.
  const classPageDeps = { ...deps, readerOf, loadFrame, slugs, rememberClassPage: classPageRememberer(deps) };
  await frontPageRoutes(app, classPageDeps);
  await listingRoutes(app, classPageDeps);
  await articleRoutes(app, { ...deps, readerOf, loadFrame, loadSettings, slugs });
  await staticPageRoutes(app, classPageDeps);

  return { renderErrorPage: createErrorPageRenderer({ ...deps, loadFrame, lastFrame }) };
}
