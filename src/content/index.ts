export type { PaywallSettingsInput } from "./access-defaults.js";
export {
  inheritedAccess,
  MAX_ALLOWANCE,
  updatePaywallSettings,
} from "./access-defaults.js";
export type {
  ArticleField,
  ArticleRecord,
  AuthorField,
  AuthorRecord,
  BodyParts,
  PageField,
  PageRecord,
  TopicField,
  TopicRecord,
} from "./api-queries.js";
export { listArticlesMatching, listAuthorsMatching, listPagesMatching, listTopicsMatching } from "./api-queries.js";
export type {
  CatalogComparison,
  CatalogCondition,
  CatalogOrder,
  CatalogQuery,
  CatalogValue,
} from "./catalog-condition.js";
export { changeSlug } from "./change-slug.js";
export type { BreakingNews, BreakingNewsInput, HomeCuration, HomeCurationInput, HomePick } from "./curation.js";
export {
  clearBreakingNews,
  findBreakingNews,
  getHomeCuration,
  MAX_TOP_STORIES,
  setBreakingNews,
  setHomeCuration,
} from "./curation.js";
export type { ArticleDocument } from "./document/nodes.js";
export { parseDocument } from "./document/parse-document.js";
export { renderBody } from "./document/render-html.js";
export type { FeedsChangedPayload, ListingIds } from "./feed-pings.js";
export { FEED_PING_DELAY_SECONDS, FEEDS_CHANGED_JOB, listingsShowing } from "./feed-pings.js";
export type { HomePageData } from "./front-page.js";
export { findHomePage } from "./front-page.js";
export type { ArticleViews, HourlyViews } from "./newsroom-figures.js";
export { countPublishedByDay, countReadsByDay, listMostViewed, listViewsByHour } from "./newsroom-figures.js";
export type { NewsroomArticle, NewsroomListInput, NewsroomSort } from "./newsroom-queries.js";
export { articleHeadlines, getNewsroomArticle, listNewsroomArticles, NEWSROOM_SORTS } from "./newsroom-queries.js";
export type { PreviewAudience, PreviewCheck, PreviewClaim } from "./preview-link.js";
export { PREVIEW_AUDIENCES, readPreviewToken, signPreviewToken } from "./preview-link.js";
export type { Correction, CorrectionInput, PublishInput, PublishResult, WorkflowResult } from "./publish-article.js";
export {
  appendCorrection,
  listCorrections,
  publishArticle,
  publishArticles,
  publishDueArticles,
  submitForReview,
  unpublishArticle,
} from "./publish-article.js";
export type { FeedArticle, ListingFilter, SlugOwner } from "./queries.js";
export {
  findArticleForPreview,
  findArticleForReading,
  findSectionBySlug,
  findSlugRedirect,
  findStaticPage,
  findTagBySlug,
  getSettings,
  getSettingsChangedAt,
  LISTING_PAGE_SIZE,
  listArticles,
  listArticlesForFeed,
  listArticlesPublishedSince,
  listBylines,
  listLatestArticles,
  listSections,
  listStaticPages,
} from "./queries.js";
export type { MostReadInput, ReadCounts } from "./read-counts.js";
export {
  createReadCounts,
  findMostRead,
  isRobotAgent,
  listMostRead,
  MOST_READ_SHOWN,
  pruneReads,
  READS_KEPT_DAYS,
} from "./read-counts.js";
export type {
  ArticleFields,
  CreateArticleInput,
  EditArticleInput,
  EditArticleResult,
  FeatureImageInput,
  Revision,
} from "./save-article.js";
export { createArticle, editArticle, getRevision, listRevisions, readArticleFields } from "./save-article.js";
export { CORRECTION_KINDS } from "./schema.js";
export type { SearchHit, SearchInput, SearchOrder, SearchResults } from "./search.js";
export {
  SEARCH_MAX_PAGES,
  SEARCH_MAX_RESULTS,
  SEARCH_ORDERS,
  SEARCH_PAGE_SIZE,
  searchArticles,
  searchText,
} from "./search.js";
export type { SiteSettingsInput, SocialAccounts } from "./site-settings.js";
export { MAX_FOOTER_LINKS, MAX_NAVIGATION, mastheadSections, updateSiteSettings } from "./site-settings.js";
export type { CreateStaffInput, SettingsInput } from "./site-structure.js";
export { createPage, createSection, createStaff, ensureSettings, hasOwner, hasSettings } from "./site-structure.js";
export type { SitemapArticle, SitemapEntry, SitemapIndex, SitemapListing } from "./sitemap-queries.js";
export { findSitemapIndex, listSitemapArticles, listSitemapEntries } from "./sitemap-queries.js";
export type { StaffCredentials, StaffMember, StaffProfile } from "./staff.js";
export {
  changeStaffRole,
  findAuthorBySlug,
  findStaffByEmail,
  findStaffById,
  findStaffCredentials,
  getStaffById,
  getStaffProfile,
  listStaff,
  setStaffActive,
  setStaffPassword,
  transferOwnership,
  updateStaffProfile,
} from "./staff.js";
export type { SectionInput, Tag, TagInput } from "./taxonomy.js";
export {
  archiveSection,
  createTag,
  deleteSection,
  deleteTag,
  getSection,
  listTags,
  reorderSections,
  updateSection,
  updateTag,
} from "./taxonomy.js";
export * from "./types.js";
