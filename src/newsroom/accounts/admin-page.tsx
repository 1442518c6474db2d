/** The plain server-rendered frame of the newsroom's few pages outside the app: setup, invitation, reset. */
import type { FastifyReply } from "fastify";
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";

export type AdminPage = { status: number; title: string; stylesheet: string; body: ComponentChildren };

export function sendAdminPage(reply: FastifyReply, page: AdminPage): FastifyReply {
  const html = renderToString(
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{page.title}</title>
        <link rel="stylesheet" href={page.stylesheet} />
      </head>
      <body>
        <main id="main" class="setup wrap-narrow">
          {page.body}
        </main>
      </body>
    </html>,
  );
  // These pages carry a token in their address and form: never cached, never sent on as a referrer.
  return reply
    .code(page.status)
    .header("content-type", "text/html; charset=utf-8")
    .header("cache-control", "no-store")
    .header("referrer-policy", "no-referrer")
    .send(`<!doctype html>${html}`);
}
