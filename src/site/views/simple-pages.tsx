import type { ArticleSummary, StaticPage } from "../../content/index.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";
import { Headline } from "./parts.js";

export function StaticPageView(props: { frame: SiteFrame; page: StaticPage; description: string }) {
  const { frame, page } = props;
  return (
    <Layout frame={frame} meta={{ title: page.title, description: props.description, path: `/${page.slug}` }}>
      <article class="static-page wrap-narrow">
        <h1>{page.title}</h1>
        <div class="prose" dangerouslySetInnerHTML={{ __html: page.html }} />
      </article>
    </Layout>
  );
}

type ErrorPageProps = { status: number; message: string; requestId: string | undefined };

function errorTitle(status: number): string {
  if (status === 404) return "Page not found";
  if (status === 503) return "Back in a moment";
  return status >= 500 ? "Something went wrong" : "That request did not work";
}

export function ErrorPage(props: ErrorPageProps & { frame: SiteFrame; latest?: ArticleSummary[] }) {
  const { frame, status } = props;
  const title = errorTitle(status);
  const latest = props.latest ?? [];
  return (
    <Layout frame={frame} meta={{ title, description: title, path: "/", noindex: true }}>
      <section class="error-page wrap-narrow">
        <p class="kicker">Error {status}</p>
        <h1>{title}</h1>
        <p class="error-message">{props.message}</p>
        {props.requestId && (
          <p class="error-reference">
            Reference: <code>{props.requestId}</code>
          </p>
        )}
        {status === 404 && (
          <search>
            <form class="error-search search-form" method="get" action="/search">
              <label for="error-search-q">Search {frame.settings.title}</label>
              <div class="error-search-row">
                <input id="error-search-q" type="search" name="q" />
                <button type="submit">Search</button>
              </div>
            </form>
          </search>
        )}
        {latest.length > 0 && (
          <section aria-labelledby="error-latest-heading">
            <h2 id="error-latest-heading" class="rail-heading">
              Latest
            </h2>
            <ul class="headline-list">
              {latest.map((a) => (
                <li>
                  <Headline article={a} settings={frame.settings} now={frame.now} />
                </li>
              ))}
            </ul>
          </section>
        )}
        <p>
          <a href="/">Go to the front page</a>
          {frame.sections.length > 0 && " or browse a section:"}
        </p>
        <ul class="error-sections">
          {frame.sections.map((s) => (
            <li>
              <a href={`/section/${s.slug}`}>{s.name}</a>
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

/** An error page for when not even the site's frame can be read (the database out of reach since start). */
export function BareErrorPage(props: ErrorPageProps & { css: string }) {
  const title = errorTitle(props.status);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="robots" content="noindex" />
        <link rel="stylesheet" href={props.css} />
      </head>
      <body>
        <main id="main">
          <section class="error-page wrap-narrow">
            <p class="kicker">Error {props.status}</p>
            <h1>{title}</h1>
            <p class="error-message">{props.message}</p>
            {props.requestId && (
              <p class="error-reference">
                Reference: <code>{props.requestId}</code>
              </p>
            )}
            <p>
              <a href="/">Go to the front page</a>
            </p>
          </section>
        </main>
      </body>
    </html>
  );
}
