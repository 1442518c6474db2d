import type { ArticleSummary, AuthorProfile } from "../../content/index.js";
import type { Page } from "../../shared/types.js";
import { AuthorHeader } from "./author-header.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { Pagination, Teaser, type TeaserVariant } from "./parts.js";

export type ListingHeader =
  | { kind: "section"; slug: string; name: string; description: string }
  | { kind: "tag"; slug: string; name: string; description: string }
  | { kind: "author"; author: AuthorProfile };

type ListingProps = {
  frame: SiteFrame;
  header: ListingHeader;
  basePath: string;
  list: Page<ArticleSummary>;
  jsonLd: object[];
};

/** A section's or a topic's name and description; an author's photo, bio and where to follow them. */
function ListingHeading(props: { header: ListingHeader; basePath: string }) {
  const { header } = props;
  return (
    <header class={`listing-header listing-${header.kind}`}>
      {header.kind === "author" ? (
        <AuthorHeader author={header.author} feedPath={`${props.basePath}/feed`} />
      ) : (
        <>
          <p class="kicker">{header.kind === "tag" ? "Topic" : "Section"}</p>
          <h1>{header.name}</h1>
          {header.description && <p class="listing-description">{header.description}</p>}
        </>
      )}
    </header>
  );
}

/** The first page opens with its newest story as the lead; the rest, and later pages, are a dense list. */
function ListingBody(props: { frame: SiteFrame; list: Page<ArticleSummary> }) {
  const { frame, list } = props;
  const teaser = (a: ArticleSummary, variant: TeaserVariant, headingLevel: 2 | 3 = 3) => (
    <Teaser article={a} variant={variant} settings={frame.settings} now={frame.now} headingLevel={headingLevel} />
  );
  const [lead, ...rest] = list.page === 1 ? list.items : [];
  const dense = (items: ArticleSummary[]) => (
    <ol class="listing-list">
      {items.map((a) => (
        <li>{teaser(a, "standard")}</li>
      ))}
    </ol>
  );
  if (lead) {
    return (
      <div class="listing-body">
        <div class="listing-lead">{teaser(lead, "lead", 2)}</div>
        {dense(rest)}
      </div>
    );
  }
  return list.items.length === 0 ? <p class="empty">Nothing has been published here yet.</p> : dense(list.items);
}

export function ListingPage(props: ListingProps) {
  const { frame, header, list } = props;
  const name = header.kind === "author" ? header.author.name : header.name;
  const description =
    header.kind === "author"
      ? header.author.bio || `Articles by ${header.author.name}`
      : header.description || `${name}: the latest from ${frame.settings.title}`;
  const pageSuffix = list.page > 1 ? ` (page ${list.page})` : "";
  const pathOf = (n: number) => (n === 1 ? props.basePath : `${props.basePath}?page=${n}`);
  return (
    <Layout
      frame={frame}
      current={header.kind === "section" ? `section:${header.slug}` : undefined}
      meta={{
        title: `${name}${pageSuffix}`,
        description,
        path: pathOf(list.page),
        prev: list.page > 1 ? `${frame.publicUrl}${pathOf(list.page - 1)}` : undefined,
        next: list.page < list.pages ? `${frame.publicUrl}${pathOf(list.page + 1)}` : undefined,
        jsonLd: props.jsonLd,
        // The same title as the feed's own channel.
        feed: { path: `${props.basePath}/feed`, title: `${name} — ${frame.settings.title}` },
      }}
    >
      <div class="wrap listing">
        <ListingHeading header={header} basePath={props.basePath} />
        <ListingBody frame={frame} list={list} />
        <Pagination page={list.page} pages={list.pages} hrefFor={pathOf} label="Pages" order="chronological" />
      </div>
    </Layout>
  );
}
