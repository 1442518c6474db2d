/** `/favicon.svg`, drawn from the settings, and `/favicon.ico`, which points to it. */
import type { FastifyInstance } from "fastify";
import type { SiteSettings } from "../content/index.js";
import { escapeHtml } from "../shared/html.js";

export type FaviconRouteDeps = { loadSettings: () => Promise<SiteSettings> };

export async function faviconRoutes(app: FastifyInstance, deps: FaviconRouteDeps): Promise<void> {
  app.get("/favicon.svg", async (_req, reply) => {
    const settings = await deps.loadSettings();
    return reply
      .header("content-type", "image/svg+xml")
      .header("cache-control", "public, max-age=86400")
      .send(renderFavicon(settings.title, settings.accentColor));
  });
  app.get("/favicon.ico", async (_req, reply) => reply.redirect("/favicon.svg", 301));
}

/** The site's initial on its accent colour. */
function renderFavicon(title: string, accent: string): string {
  const initial = escapeHtml((title.replace(/^the\s+/i, "").trim()[0] ?? "B").toUpperCase());
  const fill = /^#[0-9a-fA-F]{3,8}$/.test(accent) ? accent : "#9b1c1c";
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${fill}"/><text x="32" y="47" font-family="Georgia, serif" font-size="44" font-weight="700" text-anchor="middle" fill="#fff">${initial}</text></svg>`;
}
