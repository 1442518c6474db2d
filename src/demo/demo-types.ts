/** The shape of the demo newspaper's hand-written content; seed.ts turns it into documents. */
export type DemoKind = "news" | "analysis" | "opinion" | "feature" | "explainer";
export type DemoAccess = "public" | "registered" | "paid";

/**
 * A body block. A plain string is a paragraph and may use **bold**, *italic* and [text](https://url).
 * "---preview---" marks where the paywall preview ends; "---hr---" is a section break.
 */
export type DemoBlock =
  | string
  | { h2: string }
  | { h3: string }
  | { quote: string; cite?: string }
  | { pull: string }
  | { list: string[] }
  | { ol: string[] }
  | { embed: "x" | "youtube"; url: string; title: string };

export type DemoImage = {
  /** Picks the generated illustration: a short word such as "harbour", "parliament", "stadium". */
  motif: string;
  alt: string;
  caption: string;
  credit: string;
};

export type DemoArticle = {
  title: string;
  dek: string;
  kind: DemoKind;
  /** A section slug from demo-world.ts */
  section: string;
  /** Tag names, in order */
  tags: string[];
  /** Author slugs from demo-world.ts, in byline order */
  authors: string[];
  access: DemoAccess;
  metered: boolean;
  /** Puts the article in the breaking-news strip for a day after seeding. */
  isBreaking?: boolean;
  isFeatured?: boolean;
  /** Published this many hours before the seed runs */
  hoursAgo: number;
  /** Updated this many hours before the seed runs (less than hoursAgo) */
  updatedHoursAgo?: number;
  image?: DemoImage;
  body: DemoBlock[];
};
