import type { PageCache } from "../cache/index.js";
import type { Db } from "../db/index.js";
import type { Clock } from "../shared/clock.js";
import type { PictureFiles } from "../shared/picture-files.js";

/** What the feed and sitemap routes read from and answer through. */
export type DistributionDeps = {
  db: Db;
  cache: PageCache;
  clock: Clock;
  publicUrl: string;
  /** Feature images' real sizes, for enclosures. */
  pictures: PictureFiles;
  /** The WebSub hub every feed names; undefined for none. */
  websubHubUrl: string | undefined;
};
