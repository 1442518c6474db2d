import type { ArticleSummary, HomePageData } from "../../content/index.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { Teaser } from "./parts.js";

export function HomePage(props: { frame: SiteFrame; home: HomePageData; jsonLd: object[] }) {
  const { frame, home } = props;
  const { settings, now } = frame;
  const teaser = (
    a: ArticleSummary,
    variant: "lead" | "top" | "standard" | "compact" | "rail",
    headingLevel: 2 | 3 = 3,
  ) => <Teaser article={a} variant={variant} settings={settings} now={now} headingLevel={headingLevel} />;
  return (
    <Layout
      frame={frame}
      current="home"
      meta={{ title: settings.title, description: settings.description, path: "/", jsonLd: props.jsonLd }}
    >
      <h1 class="visually-hidden">{settings.title}: front page</h1>
      <div class="wrap front">
        <section class="front-top" aria-label="Top stories">
          <div class="front-lead">{home.lead && teaser(home.lead, "lead", 2)}</div>
          <div class="front-top-stories">{home.top.map((a) => teaser(a, "top"))}</div>
        </section>
        <aside class="front-latest" aria-labelledby="latest-heading">
          <h2 id="latest-heading" class="rail-heading">
            Latest
          </h2>
          <ol class="latest-list">
            {home.latest.map((a) => (
              <li>{teaser(a, "compact")}</li>
            ))}
          </ol>
        </aside>
      </div>
      {(home.analysis.length > 0 || home.opinion.length > 0) && (
        <div class="rails">
          <div class="wrap rails-inner">
            {home.analysis.length > 0 && (
              <section class="rail rail-analysis" aria-labelledby="analysis-heading">
                <h2 id="analysis-heading" class="rail-heading">
                  Analysis
                </h2>
                <div class="rail-items">{home.analysis.map((a) => teaser(a, "rail"))}</div>
              </section>
            )}
            {home.opinion.length > 0 && (
              <section class="rail rail-opinion" aria-labelledby="opinion-heading">
                <h2 id="opinion-heading" class="rail-heading">
                  Opinion
                </h2>
                <div class="rail-items">{home.opinion.map((a) => teaser(a, "rail"))}</div>
              </section>
            )}
          </div>
        </div>
      )}
      <div class="wrap section-blocks">
        {home.bySection.map(({ section, articles }) => (
          <section class="section-block" aria-labelledby={`block-${section.slug}`}>
            <h2 id={`block-${section.slug}`} class="section-block-heading">
              <a href={`/section/${section.slug}`}>{section.name}</a>
            </h2>
            <div class="section-block-items">{articles.map((a, i) => teaser(a, i === 0 ? "standard" : "compact"))}</div>
          </section>
        ))}
      </div>
    </Layout>
  );
}
