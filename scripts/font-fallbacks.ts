// `npm run fonts:fallbacks`: writes src/site/styles/font-fallbacks.css, the metric-matched fallback faces. While
// a web font loads (font-display: swap) the text is drawn in a system font; one whose size and line metrics differ
// wraps lines differently and the page shifts when the web font arrives. Each fallback face names a common system
// font with local() and scales it to the web font (size-adjust from the average width of Latin text, the ascent,
// descent and line gap overrides from the vertical metrics), as computed by Capsize: the web fonts' metrics are
// read from the very files the site serves, the system fonts' come from @capsizecss/metrics.
// src/site/styles/font-fallbacks.test.ts fails while the committed file differs from what this writes.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createFontStack, type FontMetrics } from "@capsizecss/core";

type FontStackMetrics = Parameters<typeof createFontStack>[0][number];

import arial from "@capsizecss/metrics/arial";
import georgia from "@capsizecss/metrics/georgia";
import helvetica from "@capsizecss/metrics/helvetica";
import notoSerif from "@capsizecss/metrics/notoSerif";
import roboto from "@capsizecss/metrics/roboto";
import timesNewRoman from "@capsizecss/metrics/timesNewRoman";
import { fromBuffer } from "@capsizecss/unpack";

export const FONT_FALLBACKS_FILE = fileURLToPath(new URL("../src/site/styles/font-fallbacks.css", import.meta.url));

type SystemFont = Pick<FontMetrics, "familyName" | "ascent" | "descent" | "lineGap" | "unitsPerEm" | "xWidthAvg"> & {
  /** The names local() finds the regular face by (full name, PostScript name). */
  regular: string[];
  /** The bold face's names and its average width of Latin text, in the regular's units, if a bold is used. */
  bold?: { names: string[]; xWidthAvg: number };
};

/**
 * DejaVu, the fonts of most Linux desktops (and the only ones on the machines that run our benches): not in
 * @capsizecss/metrics, so its figures were read with @capsizecss/unpack from Debian's fonts-dejavu-core 2.37.
 */
const dejaVuSans = { familyName: "DejaVu Sans", ascent: 1901, descent: -483, lineGap: 0, unitsPerEm: 2048 };
const dejaVuSerif = { familyName: "DejaVu Serif", ascent: 1901, descent: -483, lineGap: 0, unitsPerEm: 2048 };

/**
 * The sans is served at 400 only (its bold is synthesised), so its fallbacks are regular faces that the browser
 * emboldens the same way; the serif has a real bold, so each of its fallbacks has its bold face too, scaled from
 * its own width: bold serifs are 6 to 16 % wider than their regular, Source Serif's only 3 %. @capsizecss/metrics
 * has regular faces only, so the bold widths were read with @capsizecss/unpack from the @fontsource 5.3 files of
 * Gelasio and Tinos (made metric-compatible with Georgia and Times New Roman: their regular widths equal those
 * two's, 913 and 832) and Noto Serif, and from Debian's DejaVu Serif Bold. First listed, first used where
 * installed: Arial and Georgia (Windows, Apple), Helvetica and Times New Roman (Apple), Roboto and Noto Serif
 * (Android), DejaVu (Linux).
 */
const FAMILIES: { family: string; file: string; boldFile?: string; fallbacks: SystemFont[] }[] = [
  {
    family: "Inter",
    file: "@fontsource/inter/files/inter-latin-400-normal.woff2",
    fallbacks: [
      { ...arial, regular: ["Arial", "ArialMT"] },
      { ...helvetica, regular: ["Helvetica"] },
      { ...roboto, regular: ["Roboto", "Roboto Regular", "Roboto-Regular"] },
      { ...dejaVuSans, xWidthAvg: 1041, regular: ["DejaVu Sans", "DejaVuSans"] },
    ],
  },
  {
    family: "Source Serif",
    file: "@fontsource/source-serif-4/files/source-serif-4-latin-400-normal.woff2",
    boldFile: "@fontsource/source-serif-4/files/source-serif-4-latin-700-normal.woff2",
    fallbacks: [
      { ...georgia, regular: ["Georgia"], bold: { names: ["Georgia Bold", "Georgia-Bold"], xWidthAvg: 1062 } },
      {
        ...timesNewRoman,
        regular: ["Times New Roman", "TimesNewRomanPSMT"],
        bold: { names: ["Times New Roman Bold", "TimesNewRomanPS-BoldMT"], xWidthAvg: 886 },
      },
      {
        ...notoSerif,
        regular: ["Noto Serif", "NotoSerif"],
        bold: { names: ["Noto Serif Bold", "NotoSerif-Bold"], xWidthAvg: 512 },
      },
      {
        ...dejaVuSerif,
        xWidthAvg: 1058,
        regular: ["DejaVu Serif", "DejaVuSerif"],
        bold: { names: ["DejaVu Serif Bold", "DejaVuSerif-Bold"], xWidthAvg: 1168 },
      },
    ],
  },
];

/** The family name a fallback face goes by in font-family lists: "Inter fallback Arial". */
export function fallbackFamilyName(family: string, systemFamily: string): string {
  return `${family} fallback ${systemFamily}`;
}

/** The overrides Capsize computes for `system` standing in for `web`, as CSS declarations. */
function overrides(web: FontMetrics, system: FontStackMetrics): string[] {
  const { fontFaces } = createFontStack([web, system], { fontFaceFormat: "styleObject" });
  const face = fontFaces[0]?.["@font-face"];
  if (!face) throw new Error(`Capsize made no fallback face for ${system.familyName}`);
  // Capsize leaves out an override the system font already matches (a line gap of 0 in both).
  const named = {
    "size-adjust": face.sizeAdjust,
    "ascent-override": face.ascentOverride,
    "descent-override": face.descentOverride,
    "line-gap-override": face.lineGapOverride,
  };
  return Object.entries(named)
    .filter(([, value]) => value !== undefined)
    .map(([property, value]) => `${property}: ${value}`);
}

function fontFace(name: string, localNames: string[], weight: number, declarations: string[]): string {
  const src = localNames.map((n) => `local("${n}")`).join(", ");
  const lines = [`font-family: "${name}"`, `src: ${src}`, `font-weight: ${weight}`, ...declarations];
  return `@font-face {\n${lines.map((line) => `  ${line};`).join("\n")}\n}`;
}

/** The whole stylesheet: the fallback faces, then each family's list as a custom property for site.css. */
export async function renderFontFallbacks(): Promise<string> {
  const require = createRequire(import.meta.url);
  const faces: string[] = [];
  const stacks: string[] = [];
  const metricsOf = async (file: string) => fromBuffer(readFileSync(require.resolve(file)));
  for (const { family, file, boldFile, fallbacks } of FAMILIES) {
    const web = await metricsOf(file);
    const webBold = boldFile ? await metricsOf(boldFile) : undefined;
    for (const system of fallbacks) {
      const name = fallbackFamilyName(family, system.familyName);
      faces.push(fontFace(name, system.regular, 400, overrides(web, system)));
      if (system.bold && webBold) {
        const bold = { ...system, xWidthAvg: system.bold.xWidthAvg, subsets: undefined };
        faces.push(fontFace(name, system.bold.names, 700, overrides(webBold, bold)));
      }
    }
    stacks.push(`"${family}", ${fallbacks.map((f) => `"${fallbackFamilyName(family, f.familyName)}"`).join(", ")}`);
  }
  const [sans, serif] = stacks;
  return [
    "/* Generated by `npm run fonts:fallbacks` (scripts/font-fallbacks.ts): do not edit. */",
    "",
    faces.join("\n\n"),
    "",
    `:root {\n  --serif-faces: ${serif};\n  --sans-faces: ${sans};\n}`,
    "",
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  writeFileSync(FONT_FALLBACKS_FILE, await renderFontFallbacks());
  process.stdout.write(`wrote ${FONT_FALLBACKS_FILE}\n`);
}
