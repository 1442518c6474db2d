/**
 * The branded share card for articles without a picture: headline, kind and the paper's name, as a PNG.
 * satori and resvg (about 150 ms to load) are loaded by the first card drawn, not at start-up.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type satori from "satori";

export const SHARE_IMAGE_WIDTH = 1200;
export const SHARE_IMAGE_HEIGHT = 630;

export type ShareCard = {
  headline: string;
  kindLabel: string;
  sectionName: string;
  siteTitle: string;
  accentColor: string;
};

const require = createRequire(import.meta.url);
const font = (file: string) => readFileSync(require.resolve(`@fontsource/${file}`));

// Satori reads WOFF, not WOFF2; the latin-ext files cover Azerbaijani, Turkish and other Latin scripts.
let fonts: Parameters<typeof satori>[1]["fonts"] | undefined;
function loadFonts() {
  fonts ??= [
    {
      name: "Serif",
      data: font("source-serif-4/files/source-serif-4-latin-700-normal.woff"),
      weight: 700,
      style: "normal",
    },
    {
      name: "Serif Ext",
      data: font("source-serif-4/files/source-serif-4-latin-ext-700-normal.woff"),
      weight: 700,
      style: "normal",
    },
    { name: "Sans", data: font("inter/files/inter-latin-700-normal.woff"), weight: 700, style: "normal" },
    { name: "Sans Ext", data: font("inter/files/inter-latin-ext-700-normal.woff"), weight: 700, style: "normal" },
  ];
  return fonts;
}

type Node = { type: string; props: { style?: Record<string, string | number>; children?: Node[] | string } };
const box = (style: Node["props"]["style"], children: Node[] | string): Node => ({
  type: "div",
  props: { style, children },
});

function headlineSize(headline: string): number {
  if (headline.length <= 50) return 76;
  if (headline.length <= 90) return 62;
  return 50;
}

/**
 * The headline with every one-letter word tied to the word after it by a no-break space, so no line ends with
 * one ("S / Caucasus", "a / deal"): the line breaks before the pair instead.
 */
export function keepShortWordsWithNext(headline: string): string {
  return headline.replace(/(?<=^|\s)([\p{L}\p{N}])\s+(?=\S)/gu, "$1\u00a0");
}

export async function renderShareImage(card: ShareCard): Promise<Buffer> {
  const svg = await drawShareCard(card, { embedFont: true });
  const { Resvg } = await import("@resvg/resvg-js");
  return new Resvg(svg, { fitTo: { mode: "width", value: SHARE_IMAGE_WIDTH } }).render().asPng();
}

/**
 * The card as SVG. With `embedFont: false` the text stays `<text>` elements, one per word and line, which is
 * how a test reads where the lines broke.
 */
export async function drawShareCard(card: ShareCard, options: { embedFont: boolean }): Promise<string> {
  const accent = /^#[0-9a-fA-F]{6}$/.test(card.accentColor) ? card.accentColor : "#9b1c1c";
  const shortened = card.headline.length > 140 ? `${card.headline.slice(0, 137)}…` : card.headline;
  const headline = keepShortWordsWithNext(shortened);
  const tree = box(
    {
      // Satori sizes boxes without their padding, so the padding is taken off here.
      width: SHARE_IMAGE_WIDTH - 144,
      height: SHARE_IMAGE_HEIGHT - 118,
      display: "flex",
      flexDirection: "column",
      justifyContent: "space-between",
      backgroundColor: "#fbfaf7",
      backgroundImage: `linear-gradient(${accent}, ${accent})`,
      backgroundSize: `${SHARE_IMAGE_WIDTH}px 18px`,
      backgroundRepeat: "no-repeat",
      paddingTop: 70,
      paddingBottom: 48,
      paddingLeft: 72,
      paddingRight: 72,
      fontFamily: "Serif, Serif Ext",
      color: "#161513",
    },
    [
      box(
        { display: "flex", fontFamily: "Sans, Sans Ext", fontSize: 26, letterSpacing: 3, color: accent },
        card.kindLabel.toUpperCase(),
      ),
      box(
        {
          display: "flex",
          width: SHARE_IMAGE_WIDTH - 144,
          fontSize: headlineSize(headline),
          lineHeight: 1.08,
          letterSpacing: -1,
        },
        headline,
      ),
      box(
        {
          display: "flex",
          justifyContent: "space-between",
          alignItems: "flex-end",
          borderTop: "3px solid #161513",
          paddingTop: 22,
        },
        [
          box({ display: "flex", fontSize: 40 }, card.siteTitle),
          box({ display: "flex", fontFamily: "Sans, Sans Ext", fontSize: 24, color: "#5f5a52" }, card.sectionName),
        ],
      ),
    ],
  );
  const { default: drawSvg } = await import("satori");
  // satori accepts React-shaped element objects; these plain ones are that shape.
  return drawSvg(tree as unknown as Parameters<typeof satori>[0], {
    width: SHARE_IMAGE_WIDTH,
    height: SHARE_IMAGE_HEIGHT,
    fonts: loadFonts(),
    embedFont: options.embedFont,
  });
}
