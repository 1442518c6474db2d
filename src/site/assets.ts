/** The site's CSS, script and fonts, held in memory under content-hashed names so browsers keep them forever. */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { fromCodeRoot } from "../shared/code-root.js";

export type Asset = { body: Buffer; gzip: Buffer; br: Buffer; contentType: string };
export type SiteAssets = { css: string; js: string; fontPreloads: string[]; files: Map<string, Asset> };

const STYLES_DIR = fromCodeRoot("../src/site/styles/");
const require = createRequire(import.meta.url);

/** The site's faces: static WOFF2 subsets from @fontsource (the share images read the same packages' WOFF). */
const FACES = [
  { key: "serif", family: "source-serif-4", styles: ["400-normal", "700-normal", "400-italic"] },
  { key: "sans", family: "inter", styles: ["400-normal"] },
];
const FONTS: Record<string, string> = Object.fromEntries(
  FACES.flatMap(({ key, family, styles }) =>
    styles.flatMap((style) =>
      ["latin", "latin-ext"].map((subset) => [
        `${key}-${subset}-${style}`,
        `@fontsource/${family}/files/${family}-${subset}-${style}.woff2`,
      ]),
    ),
  ),
);

/** Only the body face is preloaded: the rest arrive as the text that needs them is laid out. */
const PRELOADED_FONT = "serif-latin-400-normal";

function hashed(name: string, ext: string, body: Buffer): string {
  return `${name}.${createHash("sha256").update(body).digest("hex").slice(0, 12)}.${ext}`;
}

/** The compressed copies are made when first asked for: brotli at its best setting takes most of 100 ms. */
function asset(body: Buffer, contentType: string): Asset {
  let gzip: Buffer | undefined;
  let br: Buffer | undefined;
  return {
    body,
    contentType,
    get gzip() {
      gzip ??= gzipSync(body, { level: 9 });
      return gzip;
    },
    get br() {
      br ??= brotliCompressSync(body);
      return br;
    },
  };
}

export function loadSiteAssets(): SiteAssets {
  const files = new Map<string, Asset>();
  const fontUrls = new Map<string, string>();
  for (const [name, modulePath] of Object.entries(FONTS)) {
    const body = readFileSync(require.resolve(modulePath));
    const file = hashed(name, "woff2", body);
    files.set(file, { body, gzip: body, br: body, contentType: "font/woff2" });
    fontUrls.set(name, `/assets/${file}`);
  }
  // The metric-matched fallback faces (generated: scripts/font-fallbacks.ts) come first: site.css names them.
  const styles = ["font-fallbacks.css", "site.css"].map((file) => readFileSync(`${STYLES_DIR}${file}`, "utf8"));
  const cssSource = styles
    .join("\n")
    .replace(/url\(font:([a-z0-9-]+)\)/g, (_, name: string) => `url(${fontUrls.get(name) ?? `missing-font-${name}`})`);
  const css = Buffer.from(cssSource);
  const cssFile = hashed("site", "css", css);
  files.set(cssFile, asset(css, "text/css; charset=utf-8"));
  const js = readFileSync(`${STYLES_DIR}site.js`);
  const jsFile = hashed("site", "js", js);
  files.set(jsFile, asset(js, "text/javascript; charset=utf-8"));
  return {
    css: `/assets/${cssFile}`,
    js: `/assets/${jsFile}`,
    fontPreloads: [fontUrls.get(PRELOADED_FONT)].filter((u): u is string => Boolean(u)),
    files,
  };
}
