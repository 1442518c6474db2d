import type { ArticleSummary } from "../../content/index.js";
import type { SiteFrame } from "./frame.js";
import { Headline } from "./parts.js";

/** The most read articles: the day's, or the week's while the day has too few. */
export type MostReadRail = { period: "day" | "week"; articles: ArticleSummary[] };

/** Where the list goes under an article: empty, filled by the site's script with `/fragments/most-read`. */
export function MostReadSlot(props: { articleId: string }) {
  return <div class="article-most-read wrap" data-most-read={props.articleId} />;
}

/**
 * The list under articles, one for every article: one more than is shown, each entry naming its article, so the
 * script leaves out the article being read and keeps `shown`. Empty when nothing has been read yet.
 */
export function MostReadFragment(props: {
  mostRead: MostReadRail;
  shown: number;
  settings: SiteFrame["settings"];
  now: Date;
}) {
  const { mostRead, settings, now } = props;
  if (mostRead.articles.length === 0) return null;
  return (
    <section class="most-read" aria-labelledby="most-read-heading" data-shown={props.shown}>
      <h2 id="most-read-heading" class="rail-heading">
        Most read <span class="rail-period">{mostRead.period === "day" ? "today" : "this week"}</span>
      </h2>
      <ol class="headline-list most-read-list">
        {mostRead.articles.map((a) => (
          <li data-article-id={a.id}>
            <Headline article={a} settings={settings} now={now} />
          </li>
        ))}
      </ol>
    </section>
  );
}
