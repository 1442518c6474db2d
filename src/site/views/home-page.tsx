import type { ArticleSummary, HomePageData } from "../../content/index.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import type { MostReadRail } from "./most-read.js";
import { AuthorFace, Headline, Teaser, type TeaserVariant } from "./parts.js";

/** Secondary stories beside the lead; editors' further picks follow as plain headlines under it. */
const SECONDARY_STORIES = 3;
/** Opinion and analysis pieces in the strip under the top of the page. */
const VOICES = 6;

/**
 * The front page as an editor lays it out: the lead with its picture, secondary stories beside it, the latest
 * headlines in a rail, a strip of opinion and analysis with their writers' faces, then each section's headlines.
 */
/** Headlines alone, one to a line: the further picks, the latest rail, a section's block. */
function HeadlineList(props: {
  articles: ArticleSummary[];
  settings: SiteFrame["settings"];
  now: SiteFrame["now"];
  extraClass?: string;
  isOrdered?: boolean;
}) {
  const items = props.articles.map((a) => (
    <li>
      <Headline article={a} settings={props.settings} now={props.now} />
    </li>
  ));
  const className = props.extraClass ? `headline-list ${props.extraClass}` : "headline-list";
  return props.isOrdered ? <ol class={className}>{items}</ol> : <ul class={className}>{items}</ul>;
}

export function HomePage(props: { frame: SiteFrame; home: HomePageData; mostRead: MostReadRail; jsonLd: object[] }) {
  const { frame, home, mostRead } = props;
  const { settings, now } = frame;
  const teaser = (a: ArticleSummary, variant: TeaserVariant, headingLevel: 2 | 3 = 3) => (
    <Teaser article={a} variant={variant} settings={settings} now={now} headingLevel={headingLevel} />
  );
  const secondary = home.top.slice(0, SECONDARY_STORIES);
  const furtherPicks = home.top.slice(SECONDARY_STORIES);
  const voices = interleave(home.opinion, home.analysis).slice(0, VOICES);
  return (
    <Layout
      frame={frame}
      current="home"
      meta={{ title: settings.title, description: settings.description, path: "/", jsonLd: props.jsonLd }}
    >
      <h1 class="visually-hidden">{settings.title}: front page</h1>
      <div class="wrap front">
        <section class="front-lead" aria-label="Lead story">
          {home.lead && teaser(home.lead, "lead", 2)}
          {furtherPicks.length > 0 && (
            <HeadlineList articles={furtherPicks} settings={settings} now={now} extraClass="front-more" />
          )}
        </section>
        {secondary.length > 0 && (
          <section class="front-secondary" aria-label="Top stories">
            {secondary.map((a, i) => teaser(a, i === 0 ? "top" : "standard"))}
          </section>
        )}
        <FrontRail latest={home.latest} mostRead={mostRead} settings={settings} now={now} />
      </div>
      {voices.length > 0 && (
        <section class="voices" aria-labelledby="voices-heading">
          <div class="wrap">
            <h2 id="voices-heading" class="rail-heading">
              Opinion and analysis
            </h2>
            <ul class="voices-items">
              {voices.map((a) => (
                <li class={`voice voice-${a.kind}`}>
                  <AuthorFace author={a.authors[0]} size={56} />
                  {teaser(a, "rail")}
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
      <div class="wrap section-blocks">
        {home.bySection.map(({ section, articles }) => {
          const [first, ...rest] = articles;
          return (
            <section class="section-block" aria-labelledby={`block-${section.slug}`}>
              <h2 id={`block-${section.slug}`} class="section-block-heading">
                <a href={`/section/${section.slug}`}>{section.name}</a>
              </h2>
              {first && teaser(first, "top")}
              {rest.length > 0 && <HeadlineList articles={rest} settings={settings} now={now} />}
            </section>
          );
        })}
      </div>
    </Layout>
  );
}

/** Beside the top stories: the latest headlines in the paper's running order, then the most read. */
function FrontRail(props: {
  latest: ArticleSummary[];
  mostRead: MostReadRail;
  settings: SiteFrame["settings"];
  now: SiteFrame["now"];
}) {
  const { latest, mostRead, settings, now } = props;
  return (
    <aside class="front-latest" aria-labelledby="latest-heading">
      <h2 id="latest-heading" class="rail-heading">
        Latest
      </h2>
      <HeadlineList articles={latest} settings={settings} now={now} extraClass="latest-list" isOrdered />
      {mostRead.articles.length > 0 && (
        <section class="most-read" aria-labelledby="most-read-heading">
          <h2 id="most-read-heading" class="rail-heading">
            Most read <span class="rail-period">{mostRead.period === "day" ? "today" : "this week"}</span>
          </h2>
          <HeadlineList
            articles={mostRead.articles}
            settings={settings}
            now={now}
            extraClass="most-read-list"
            isOrdered
          />
        </section>
      )}
    </aside>
  );
}

/** Opinion and analysis alternating, so neither crowds the other out of the strip. */
function interleave<T>(a: T[], b: T[]): T[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]]).flatMap((pair) =>
    pair.filter((x): x is T => x !== undefined),
  );
}
