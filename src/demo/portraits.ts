/**
 * The demo staff's photos: invented people, so drawn portraits (head and shoulders in flat shapes, one palette
 * each), square, like a newsroom's byline photos.
 */
type PortraitLook = {
  backdrop: string;
  skin: string;
  hair: string;
  clothes: string;
  hairStyle: "short" | "long" | "bun";
};

const SIZE = 400;

/** The hair's crown over the head, and for long hair what falls behind the head to the shoulders. */
const CROWN = (hair: string) =>
  `<path d="M124 196 C112 58 288 58 276 196 C262 150 232 136 200 136 C168 136 138 150 124 196 Z" fill="${hair}"/>`;
const HAIR: Record<PortraitLook["hairStyle"], (hair: string) => { behind: string; over: string }> = {
  short: (hair) => ({ behind: "", over: CROWN(hair) }),
  long: (hair) => ({
    behind: `<rect x="122" y="120" width="156" height="186" rx="40" fill="${hair}"/>`,
    over: CROWN(hair),
  }),
  bun: (hair) => ({ behind: `<circle cx="200" cy="86" r="36" fill="${hair}"/>`, over: CROWN(hair) }),
};

export function renderPortraitSvg(look: PortraitLook): string {
  const hair = HAIR[look.hairStyle](look.hair);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">`,
    `<rect width="${SIZE}" height="${SIZE}" fill="${look.backdrop}"/>`,
    hair.behind,
    `<path d="M40 400 C48 310 110 276 200 276 C290 276 352 310 360 400 Z" fill="${look.clothes}"/>`,
    `<rect x="176" y="232" width="48" height="56" rx="20" fill="${look.skin}"/>`,
    `<ellipse cx="200" cy="186" rx="70" ry="84" fill="${look.skin}"/>`,
    hair.over,
    "</svg>",
  ].join("");
}

/** Each demo author's look, by slug. */
export const DEMO_PORTRAITS: Record<string, PortraitLook> = {
  "aysel-memmedova": { backdrop: "#dfe6e4", skin: "#d9a67e", hair: "#2b1d16", clothes: "#1f3a4d", hairStyle: "long" },
  "daniel-okoro": { backdrop: "#f1e3cf", skin: "#7a4a2e", hair: "#1b1410", clothes: "#8a4b38", hairStyle: "short" },
  "lena-vukovic": { backdrop: "#e4e8dc", skin: "#eac4a6", hair: "#a0662f", clothes: "#2e5845", hairStyle: "bun" },
  "tomas-ferreira": { backdrop: "#e8e3dc", skin: "#c98f66", hair: "#3a2a20", clothes: "#52525e", hairStyle: "short" },
  "hannah-lindqvist": { backdrop: "#dde3ea", skin: "#f0cdb2", hair: "#d8b26a", clothes: "#455a7a", hairStyle: "long" },
};
