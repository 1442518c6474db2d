import type { ArticleSummary, Author } from "../../content/index.js";
import type { Page } from "../../shared/types.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { AuthorFace, AuthorFollow, Pagination, Teaser, type TeaserVariant } from "./parts.js";

export type ListingHeader =
  | { kind: "section"; slug: string; name: string; description: string }
  | { kind: "tag"; slug: string; name: string; description: string }
  | { kind: "author"; author: Author };

export function ListingPage(props: {
  frame: SiteFrame;
  header: ListingHeader;
  basePath: string;
  list: Page<ArticleSummary>;
  jsonLd: object[];
}) {
  const { frame, header, list } = props;
  const name = header.kind === "author" ? header.author.name : header.name;
  const description =
    header.kind === "author"
      ? header.author.bio || `Articles by ${header.author.name}`
      : header.description || `${name}: the latest from ${frame.settings.title}`;
  // The first page opens with its newest story as the lead; the rest, and later pages, are a dense list.
  const [lead, ...rest] = list.page === 1 ? list.items : [];
  const teaser = (a: ArticleSummary, variant: TeaserVariant, headingLevel: 2 | 3 = 3) => (
    <Teaser article={a} variant={variant} settings={frame.settings} now={frame.now} headingLevel={headingLevel} />
  );
  const pageSuffix = list.page > 1 ? ` (page ${list.page})` : "";
  const href = (n: number) => `${frame.publicUrl}${n === 1 ? props.basePath : `${props.basePath}?page=${n}`}`;
  return (
    <Layout
      frame={frame}
      current={header.kind === "section" ? `section:${header.slug}` : undefined}
      meta={{
        title: `${name}${pageSuffix}`,
        description,
        path: list.page > 1 ? `${props.basePath}?page=${list.page}` : props.basePath,
        prev: list.page > 1 ? href(list.page - 1) : undefined,
        next: list.page < list.pages ? href(list.page + 1) : undefined,
        jsonLd: props.jsonLd,
        // The same title as the feed's own channel.
        feed: { path: `${props.basePath}/feed`, title: `${name} — ${frame.settings.title}` },
      }}
    >
      <div class="wrap listing">
        <header class={`listing-header listing-${header.kind}`}>
          {header.kind === "author" ? (
            <div class="author-header">
              {header.author.avatarUrl ? (
                <img class="author-photo" src={header.author.avatarUrl} alt="" width={112} height={112} />
              ) : (
                <AuthorFace author={header.author} size={112} />
              )}
              <div>
                <p class="kicker">Author</p>
                <h1>{header.author.name}</h1>
                {header.author.bio && <p class="listing-description">{header.author.bio}</p>}
                <AuthorFollow author={header.author} />
              </div>
            </div>
          ) : (
            <>
              <p class="kicker">{header.kind === "tag" ? "Topic" : "Section"}</p>
              <h1>{header.name}</h1>
              {header.description && <p class="listing-description">{header.description}</p>}
            </>
          )}
        </header>
        {lead ? (
          <div class="listing-body">
            <div class="listing-lead">{teaser(lead, "lead", 2)}</div>
            <ol class="listing-list">
              {rest.map((a) => (
                <li>{teaser(a, "standard")}</li>
              ))}
            </ol>
          </div>
        ) : list.items.length === 0 ? (
          <p class="empty">Nothing has been published here yet.</p>
        ) : (
          <ol class="listing-list">
            {list.items.map((a) => (
              <li>{teaser(a, "standard")}</li>
            ))}
          </ol>
        )}
        <Pagination
          page={list.page}
          pages={list.pages}
          hrefFor={(n) => (n === 1 ? props.basePath : `${props.basePath}?page=${n}`)}
          label="Pages"
          order="chronological"
        />
      </div>
    </Layout>
  );
}
