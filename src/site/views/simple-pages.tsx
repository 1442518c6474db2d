import type { StaticPage } from "../../content/index.js";
import type { SiteFrame } from "./frame.js";
import { Layout } from "./layout.js";

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

export function ErrorPage(props: { frame: SiteFrame; status: number; message: string; requestId: string | undefined }) {
  const { frame, status } = props;
  const title =
    status === 404 ? "Page not found" : status >= 500 ? "Something went wrong" : "That request did not work";
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
