/** Flat, geometric editorial illustrations for demo articles, rendered as self-contained SVG. */

type Attrs = Record<string, string | number>;
type Pt = [number, number];
type Base = { sky: string; ink: string; deep: string; mid: string; soft: string; accent: string };
/** A base palette plus a few tones blended from it, so every motif stays within the same family. */
type Palette = Base & { far: string; stone: string; shade: string; earth: string; light: string };
type Rand = (min: number, max: number) => number;
type Scene = { p: Palette; rand: Rand; pick: <T>(items: readonly T[]) => T; id: (name: string) => string };
type Draw = (s: Scene, p: Palette, rand: Rand) => string;

const W = 1600;
const H = 900;
const WHITE = "#fbf8f2";

const PALETTES: Base[] = [
  { sky: "#dfe6e4", ink: "#1f3a4d", deep: "#2f5d73", mid: "#6e97a3", soft: "#d3c4a4", accent: "#d08c3c" },
  { sky: "#f1e3cf", ink: "#3b2f2a", deep: "#8a4b38", mid: "#c8734f", soft: "#e2c39b", accent: "#d39a3a" },
  { sky: "#e4e8dc", ink: "#1e3329", deep: "#2e5845", mid: "#6f9479", soft: "#d2d3b8", accent: "#c9813f" },
  { sky: "#e8e3dc", ink: "#2c2c33", deep: "#52525e", mid: "#8f8a86", soft: "#d3c8b8", accent: "#b5553c" },
  { sky: "#f0dcc4", ink: "#1c2541", deep: "#3a506b", mid: "#7b8fa6", soft: "#e0b484", accent: "#c8613a" },
  { sky: "#dde3ea", ink: "#27304a", deep: "#455a7a", mid: "#93a4b8", soft: "#dccfb4", accent: "#c7a04a" },
];

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Blends two #rrggbb colours; t = 0 gives a, t = 1 gives b. */
function mix(a: string, b: string, t: number): string {
  const [ca, cb] = [Number.parseInt(a.slice(1), 16), Number.parseInt(b.slice(1), 16)];
  const channel = (shift: number) => Math.round(((ca >> shift) & 255) * (1 - t) + ((cb >> shift) & 255) * t);
  return `#${[16, 8, 0].map((shift) => channel(shift).toString(16).padStart(2, "0")).join("")}`;
}

const withTones = (b: Base): Palette => ({
  ...b,
  far: mix(b.mid, b.sky, 0.45),
  stone: mix(b.soft, WHITE, 0.45),
  shade: mix(b.soft, b.deep, 0.3),
  earth: mix(b.mid, b.deep, 0.4),
  light: mix(b.accent, WHITE, 0.3),
});

// --- SVG primitives ---------------------------------------------------------

const num = (v: number): string => String(Math.round(v * 10) / 10);
const times = (count: number, fn: (i: number) => string): string =>
  Array.from({ length: count }, (_, i) => fn(i)).join("");
const url = (s: Scene, name: string): string => `url(#${s.id(name)})`;

/** Path-data template tag that rounds every interpolated number. */
const d = (parts: TemplateStringsArray, ...values: number[]): string =>
  parts.reduce((acc, part, i) => acc + num(values[i - 1] ?? 0) + part);

function el(tag: string, attrs: Attrs, children?: string): string {
  const list = Object.entries(attrs).map(([k, v]) => ` ${k}="${typeof v === "number" ? num(v) : v}"`);
  return children === undefined ? `<${tag}${list.join("")}/>` : `<${tag}${list.join("")}>${children}</${tag}>`;
}

const fade = (o: number): Attrs => (o < 1 ? { opacity: o } : {});
const glass = (edge: string): Attrs => ({ fill: WHITE, "fill-opacity": 0.55, stroke: edge, "stroke-width": 5 });
const rect = (x: number, y: number, w: number, h: number, fill: string, o = 1, rx = 0): string =>
  el("rect", { x, y, width: w, height: h, fill, ...(rx ? { rx } : {}), ...fade(o) });
const circle = (x: number, y: number, r: number, fill: string, o = 1): string =>
  el("circle", { cx: x, cy: y, r, fill, ...fade(o) });
const ellipse = (x: number, y: number, rx: number, ry: number, fill: string, o = 1): string =>
  el("ellipse", { cx: x, cy: y, rx, ry, fill, ...fade(o) });
const poly = (xy: number[], fill: string, o = 1): string =>
  el("polygon", { points: xy.map(num).join(" "), fill, ...fade(o) });
const path = (data: string, fill: string, o = 1): string => el("path", { d: data, fill, ...fade(o) });
const stroke = (data: string, color: string, width: number, extra: Attrs = {}): string =>
  el("path", { d: data, fill: "none", stroke: color, "stroke-width": width, "stroke-linecap": "round", ...extra });
const group = (children: string, attrs: Attrs): string => el("g", attrs, children);
const rotate = (deg: number, x: number, y: number, children: string): string =>
  group(children, { transform: `rotate(${num(deg)} ${num(x)} ${num(y)})` });
const mirror = (children: string): string => group(children, { transform: `matrix(-1 0 0 1 ${W} 0)` });
/** Places a drawing made around a local origin at (x, y), scaled and optionally mirrored. */
const place = (x: number, y: number, k: number, children: string, flip = false): string =>
  group(children, { transform: `translate(${num(x)} ${num(y)}) scale(${(flip ? -k : k).toFixed(3)} ${k.toFixed(3)})` });

function defs(s: Scene, p: Palette): string {
  const stop = (at: number, color: string, o: number) =>
    el("stop", { offset: at, "stop-color": color, "stop-opacity": o });
  const linear = (name: string, a: string, b: string, oa = 1, ob = 1) =>
    el("linearGradient", { id: s.id(name), x2: 0, y2: 1 }, stop(0, a, oa) + stop(1, b, ob));
  const glow = el("radialGradient", { id: s.id("glow") }, stop(0, p.light, 0.55) + stop(1, p.accent, 0));
  const skies = linear("sky", mix(p.sky, p.mid, 0.4), mix(p.sky, WHITE, 0.4)) + linear("water", p.far, p.deep);
  return el("defs", {}, skies + linear("beam", "#fff6dc", "#fff6dc", 0.7, 0.08) + glow);
}

// --- Shared scenery ---------------------------------------------------------

/** A smooth line through points, with horizontal tangents at each point. */
function curve(pts: Pt[]): string {
  return pts.reduce((acc, [x, y], i) => {
    const [px, py] = pts[i - 1] ?? [x, y];
    return i === 0 ? d`M${x} ${y}` : acc + d`C${(px + x) / 2} ${py} ${(px + x) / 2} ${y} ${x} ${y}`;
  }, "");
}

const ridge = (s: Scene, y: number, amp: number, count: number): Pt[] =>
  Array.from({ length: count + 1 }, (_, i): Pt => [-40 + (i * (W + 80)) / count, y + s.rand(-amp, amp)]);
const hill = (pts: Pt[], fill: string): string => path(`${curve(pts)}L${W + 40} ${H}L-40 ${H}Z`, fill);
const sun = (s: Scene, x: number, y: number, r: number): string =>
  circle(x, y, r * 3.2, url(s, "glow")) + circle(x, y, r, s.p.light);
/** The usual opening: a sun with its glow and a pale far hill line on the horizon. */
const backdrop = (s: Scene, horizon: number, sunX = s.rand(250, 1350)): string =>
  sun(s, sunX, s.rand(160, 250), 64) + hill(ridge(s, horizon, 26, 5), s.p.far);
const ground = (s: Scene, y: number): string => rect(0, y, W, H, s.p.earth) + rect(0, y, W, 12, s.p.ink, 0.3);

function water(s: Scene, y: number, ripples = 22): string {
  const ripple = (ry: number) => rect(s.rand(-40, W), ry, 30 + ((ry - y) / (H - y)) * 160, 3, WHITE, 0.22, 1.5);
  return rect(0, y, W, H - y, url(s, "water")) + times(ripples, () => ripple(s.rand(y + 12, H)));
}

function cloud(x: number, y: number, k: number, fill = WHITE, o = 0.55): string {
  const puff = (dx: number, dy: number, r: number) => circle(x + dx * k, y + dy * k, r * k, fill);
  const puffs = puff(-50, -14, 36) + puff(10, -28, 52) + puff(62, -10, 34);
  return group(ellipse(x, y, 120 * k, 26 * k, fill) + puffs, fade(o));
}

const birds = (s: Scene, count: number): string =>
  times(count, () => {
    const [x, y, k] = [s.rand(200, 1400), s.rand(90, 300), s.rand(6, 13)];
    return stroke(d`M${x - k} ${y}q${k / 2} ${-k / 2} ${k} ${k / 2}q${k / 2} ${-k} ${k} ${-k / 2}`, s.p.ink, 3);
  });

const tree = (x: number, y: number, k: number, fill: string, trunk: string): string =>
  rect(x - 5 * k, y - 40 * k, 10 * k, 40 * k, trunk) + ellipse(x, y - 70 * k, 34 * k, 44 * k, fill);
const pine = (fill: string): string => poly([-40, -40, 0, -170, 40, -40], fill) + poly([-50, 0, 0, -110, 50, 0], fill);
const person = (fill: string, head = fill): string =>
  path("M-46 0Q-46 -58 0 -60Q46 -58 46 0Z", fill) + circle(0, -86, 26, head);
/** Fruit heaped in a small pyramid (rows of 4, 3 and 1) resting on y. */
const pile = (x: number, y: number, fill: string): string =>
  times(8, (j) => circle(x + (j < 4 ? j - 1.5 : j < 7 ? j - 5 : 0) * 22, y - (j < 4 ? 0 : j < 7 ? 20 : 40), 12, fill));

/** A grid of small windows drawn as one path, with about a fifth of them lit. */
function windows(s: Scene, x: number, y: number, w: number, h: number, fill: string, lit: string, gap = 30): string {
  const [cols, rows] = [Math.max(1, Math.floor(w / gap)), Math.max(1, Math.floor(h / (gap * 1.25)))];
  const cells = ["", ""];
  for (let i = 0; i < cols * rows; i++) {
    const [cx, cy] = [x + ((i % cols) + 0.25) * (w / cols), y + (Math.floor(i / cols) + 0.22) * (h / rows)];
    cells[s.rand(0, 1) < 0.2 ? 1 : 0] += d`M${cx} ${cy}h${w / cols / 2}v${(h / rows) * 0.56}h${-w / cols / 2}z`;
  }
  return path(cells[0]!, fill) + (cells[1] ? path(cells[1], lit) : "");
}

/** A classical portico (steps, columns, entablature, pediment) centred on cx and standing on base. */
function portico(s: Scene, cx: number, base: number, w: number, h: number, cols: number): string {
  const { stone, shade } = s.p;
  const [x, top, cw, peak] = [cx - w / 2, base - 42 - h, w / (cols * 1.9), base - 86 - h - Math.min(170, w * 0.22)];
  const column = (c: number) => rect(c, top + 12, cw, h - 12, stone) + rect(c - 5, top, cw + 10, 14, stone);
  let out = times(3, (i) => rect(x - 44 + i * 14, base - 14 * (i + 1), w + 88 - i * 28, 14, i % 2 ? stone : shade));
  out += rect(x, top, w, h, mix(s.p.deep, s.p.soft, 0.35)) + rect(x - 24, top - 44, w + 48, 44, stone);
  out += times(cols, (i) => column(x + cw * 0.2 + (i * (w - cw * 1.4)) / (cols - 1)));
  out += rect(x - 24, top - 14, w + 48, 6, shade) + poly([x - 34, top - 44, cx, peak, x + w + 34, top - 44], stone);
  return out + poly([x + 10, top - 52, cx, peak + 16, x + w - 10, top - 52], shade, 0.55);
}

function boat(s: Scene, x: number, y: number, k: number): string {
  const { p } = s;
  const hull = poly([-70, -22, 74, -22, 52, 0, -56, 0], s.pick([p.ink, p.deep, p.accent]));
  const cabin = rect(-34, -52, 50, 30, p.stone) + rect(-24, -46, 30, 8, p.ink, 0.6);
  const sails = poly([-4, -120, -4, -28, 60, -28], WHITE) + poly([-10, -100, -10, -28, -58, -28], p.soft);
  const top = s.rand(0, 1) < 0.5 ? cabin : sails + rect(-6, -124, 4, 100, p.ink);
  return place(x, y, k, ellipse(0, 6, 80, 6, p.ink, 0.2) + hull + top);
}

/** Columns of shipping containers standing on y between x0 and x1. */
function containers(s: Scene, x0: number, x1: number, y: number, rows: number): string {
  const { p } = s;
  const colours = [p.accent, p.deep, p.mid, mix(p.accent, p.ink, 0.35), p.shade];
  const box = (x: number, j: number) => rect(x, y - 36 - j * 36, 60, 34, s.pick(colours));
  return times(Math.floor((x1 - x0) / 64), (i) => times(1 + Math.floor(s.rand(0, rows)), (j) => box(x0 + i * 64, j)));
}

/** A dockside gantry crane with its feet at the origin. */
function crane(c: string, ink: string): string {
  const frame = "M0 0V-300h16V0zM96 0V-300h16V0zM0 -165h112v12H0zM-230 -310h380v18h-380zM20 -310L56 -400L92 -310z";
  const cables = stroke("M-220 -306L56 -400L145 -306", c, 3) + stroke("M-130 -266V-150", ink, 2);
  return path(frame, c) + cables + rect(-150, -292, 40, 26, ink);
}

function flamingo(x: number, y: number, k: number, pink: string, ink: string): string {
  const leg = mix(pink, ink, 0.25);
  let bird = ellipse(0, 4, 40, 7, pink, 0.3) + stroke("M0 0L-4 -110M6 -110L14 -70L-2 -40", leg, 4);
  bird += rotate(-12, 0, -122, ellipse(0, -122, 46, 24, pink)) + poly([-38, -126, -70, -136, -44, -112], pink);
  bird += stroke("M34 -134C60 -170 12 -190 30 -236", pink, 11) + circle(32, -238, 12, pink);
  return place(x, y, k, bird + poly([40, -244, 64, -232, 44, -228], ink), x > W / 2);
}

function turbine(s: Scene, x: number, y: number, k: number): string {
  const [spin, blade] = [s.rand(0, 120), poly([-7, -400, -2, -590, 3, -588, 8, -402], WHITE)];
  let out = ellipse(0, 4, 30, 4, s.p.ink, 0.2) + poly([-9, 0, 9, 0, 4, -400, -4, -400], WHITE);
  out += rect(-11, -40, 22, 40, s.p.accent) + rect(-8, -410, 30, 18, WHITE, 1, 6);
  out += times(3, (i) => rotate(spin + i * 120, 0, -400, blade)) + circle(0, -400, 9, s.p.stone);
  return place(x, y, k, out);
}

function floodlight(s: Scene, x: number, foot: number, head: number): string {
  const mast = poly([x - 8, foot, x + 8, foot, x + 3, head, x - 3, head], s.p.ink);
  const lamps = rect(x - 50, head, 100, 52, s.p.ink) + windows(s, x - 46, head + 2, 92, 48, "#fff3cf", WHITE, 18);
  return mast + lamps + circle(x, head + 26, 110, url(s, "glow"));
}

function coins(count: number, gold: string, ink: string): string {
  const [edge, face] = [mix(gold, ink, 0.3), mix(gold, WHITE, 0.2)];
  const coin = (y: number) => path(d`M-70 ${y}v-20h140v20a70 20 0 0 1-140 0z`, edge) + ellipse(0, y - 20, 70, 20, face);
  return ellipse(0, 8, 100, 24, ink, 0.25) + times(count, (i) => coin(-i * 20)) + ellipse(0, -count * 20, 48, 12, edge);
}

function tractor(p: Palette): string {
  const wheel = (x: number, r: number) => circle(x, -r, r, p.ink) + circle(x, -r, r * 0.45, p.soft);
  let out = rect(30, -160, 180, 70, p.accent) + rect(-56, -266, 122, 192, p.ink) + rect(-44, -254, 98, 120, p.far);
  out += rect(-50, -120, 260, 50, mix(p.accent, p.ink, 0.2)) + rect(150, -220, 12, 70, p.ink);
  return out + wheel(-10, 80) + wheel(180, 45);
}

function umbrella(p: Palette): string {
  const edge = "Q120 -225 80 -200Q40 -225 0 -200Q-40 -225 -80 -200Q-120 -225 -160 -200Z";
  const panels = "M0 -330L-80 -200Q-40 -225 0 -200ZM0 -330Q150 -320 160 -200Q120 -225 80 -200Z";
  let out = path("M-40 -40L-34 -180Q0 -196 34 -180L40 -40ZM-30 -40h16v60h-16zM12 -40h16v60h-16z", p.ink);
  out += path(`M-160 -200Q-150 -320 0 -330Q150 -320 160 -200${edge}`, p.accent) + path(panels, p.ink, 0.25);
  return out + rect(-4, -350, 8, 22, p.ink) + stroke("M0 -200V-120q0 20 -16 20q-12 0 -12 -12", p.ink, 6);
}

/** A conical (or round-bottomed) flask on the bench, filled to level with liquid. */
function flask(p: Palette, round: boolean, level: number, fill: string): string {
  const [c, hw] = [Math.sqrt(90 ** 2 - (90 - level) ** 2), 100 - (level / 190) * 82];
  const bowl = path(d`M${-c} ${-level}A90 90 0 ${level > 90 ? 1 : 0} 0 ${c} ${-level}Z`, fill);
  const liquid = round ? bowl + rect(-60, -6, 120, 10, p.ink) : poly([-hw, -level, hw, -level, 98, -4, -98, -4], fill);
  const outline = round ? "M-16 -300V-172A90 90 0 1 0 16 -172V-300Z" : "M-18 -280V-190L-100 -6H100L18 -190V-280Z";
  const bubbles = times(4, (i) => circle(i * 14 - 20, -level - 24 - i * 30, 5, fill));
  return liquid + el("path", { d: outline, ...glass(mix(p.ink, p.sky, 0.4)) }) + bubbles;
}

// --- Motifs -----------------------------------------------------------------

const MOTIFS: Record<string, Draw> = {
  harbour(s, p, rand) {
    const [sea, qx] = [560, rand(780, 880)];
    let out = backdrop(s, 500, rand(200, 600)) + water(s, sea) + rect(qx, sea - 42, W, 116, p.shade);
    out += rect(qx, sea - 42, W, 10, p.stone) + containers(s, qx + 200, W - 40, sea - 42, 3) + birds(s, 4);
    out += place(qx + rand(60, 100), sea - 42, rand(0.9, 1.1), crane(p.accent, p.ink));
    out += place(qx + rand(480, 520), sea - 42, rand(0.9, 1.1), crane(p.accent, p.ink));
    return out + times(3, (i) => boat(s, 160 + i * 230 + rand(-40, 40), sea + 70 + i * 70, 0.8 + i * 0.25));
  },

  parliament(s, p, rand) {
    const [cx, base, top, wall] = [800 + rand(-60, 60), 760, 250, mix(p.soft, WHITE, 0.3)];
    const wing = (x: number) => rect(x, 490, 470, 260, wall) + windows(s, x + 20, 520, 430, 200, p.shade, p.accent, 48);
    let out = cloud(rand(150, 450), 170, 1.1) + cloud(rand(1150, 1450), 220, 0.9) + ground(s, base - 10);
    out += wing(cx - 700) + wing(cx + 230);
    out += rect(cx - 150, top, 300, 130, wall) + rect(cx - 170, top - 8, 340, 14, wall);
    out += windows(s, cx - 140, top + 20, 280, 90, p.deep, p.deep, 38) + rect(cx - 18, top - 190, 36, 62, wall);
    out += path(d`M${cx - 160} ${top}A160 130 0 0 1 ${cx + 160} ${top}Z`, p.mid) + circle(cx, top - 196, 16, p.mid);
    out += path(d`M${cx - 40} ${top}A40 130 0 0 1 ${cx + 40} ${top}Z`, p.far) + portico(s, cx, base, 460, 230, 6);
    return out + times(4, (i) => tree(i < 2 ? 60 + i * 110 : W - 60 - (i - 2) * 110, base + 20, 1.5, p.deep, p.ink));
  },

  city(s, p, rand) {
    let out = sun(s, rand(250, 1350), rand(170, 300), 70);
    [mix(p.mid, p.sky, 0.55), p.mid, p.deep, p.ink].forEach((fill, layer) => {
      for (let x = rand(-80, -20); x < W; x += rand(90, 170)) {
        const [w, top, roof] = [rand(70, 160), rand(170 + layer * 95, 380 + layer * 95), rand(0, 1)];
        const spire = poly([x + w * 0.3, top, x + w / 2, top - rand(60, 130), x + w * 0.7, top], fill);
        const crown = rect(x + w * 0.2, top - 40, w * 0.6, 42, fill) + rect(x + w / 2 - 2, top - 110, 4, 72, fill);
        out += rect(x, top, w, H - top, fill) + (roof < 0.2 ? spire : roof < 0.45 ? crown : "");
        if (layer > 1) out += windows(s, x + 8, top + 20, w - 16, H - top - 80, mix(fill, WHITE, 0.2), p.soft, 38);
      }
    });
    return out + rect(0, H - 50, W, 50, p.ink);
  },

  coast(s, p, rand) {
    const [sea, top, sx] = [520, rand(250, 320), rand(700, 1250)];
    const cliff = [300, top + 20, 480, top + 60, 560, 560, 640, 700, 700, H];
    const tower = d`M150 ${top - 110}h44v24h-44zM150 ${top - 60}h44v24h-44zM140 ${top - 176}l32 -34l32 34z`;
    let out = sun(s, sx, sea - rand(60, 140), 90) + cloud(sx + 220, 190, 0.9) + water(s, sea, 26) + birds(s, 5);
    out += times(7, (i) => rect(sx - 80 + i * 8 + rand(-20, 20), sea + 18 + i * 30, 160 - i * 14, 6, WHITE, 0.45));
    let land = poly([-10, top, ...cliff, -10, H], p.shade) + poly([...cliff, 420, H, 360, 520], p.ink, 0.35);
    land += poly([-10, top - 16, 310, top + 6, 480, top + 60, -10, top + 40], p.deep);
    land += rect(150, top - 150, 44, 150, WHITE) + rect(142, top - 176, 60, 26, p.ink) + path(tower, p.accent);
    return out + (sx > 800 ? land : mirror(land)) + boat(s, sx > 800 ? 1400 : 200, sea + 90, 0.5);
  },

  lagoon(s, p, rand) {
    const [sea, pink, edges] = [500, mix(p.accent, "#e79a94", 0.65), [rand(-40, 40), W - rand(240, 320)]];
    const reed = (x: number, h: number, bend: number) => {
      const head = rand(0, 1) < 0.3 ? ellipse(x + bend * 0.8, H - h * 0.9, 7, 24, p.accent) : "";
      return stroke(d`M${x} ${H}Q${x} ${H - h / 2} ${x + bend} ${H - h}`, s.pick([p.deep, p.ink]), rand(4, 8)) + head;
    };
    const bird = (i: number) => flamingo(rand(250, 350) + i * 220, sea + rand(80, 240), rand(0.8, 1.2), pink, p.ink);
    const out = backdrop(s, sea - 30) + water(s, sea, 16) + rect(0, sea, W, 4, WHITE, 0.5) + times(5, bird);
    return out + times(68, (i) => reed(edges[i % 2]! + rand(0, 280), rand(160, 360), rand(-50, 50)));
  },

  vineyard(s, p, rand) {
    const [vine, hx] = [mix(p.deep, "#4d6b3a", 0.55), rand(900, 1300)];
    let out = sun(s, rand(300, 1300), rand(150, 240), 70) + hill(ridge(s, 380, 40, 3), p.far);
    out += rect(hx, 360, 120, 70, p.stone) + poly([hx - 12, 362, hx + 60, 318, hx + 132, 362], p.accent);
    out += path(d`M${hx + 48} 395h22v35h-22zM${hx + 18} 378h18v16h-18zM${hx + 84} 378h18v16h-18z`, p.ink);
    out += times(4, (i) => ellipse(hx - 40 - i * 34, 370 - (i % 2) * 10, 13, 70 + (i % 2) * 16, p.ink, 0.85));
    [mix(p.soft, p.mid, 0.3), p.shade, mix(p.soft, p.accent, 0.25)].forEach((fill, i) => {
      const pts = ridge(s, 470 + i * 130, 40, 3);
      const row = (j: number) => curve(pts.map(([x, y]): Pt => [x, y + 24 + j * (24 + i * 16)]));
      const dash = { "stroke-dasharray": `${14 + i * 8} ${6 + i * 3}` };
      out += hill(pts, fill) + times(4 + i * 2, (j) => stroke(row(j), mix(vine, p.ink, i * 0.25), 8 + i * 5, dash));
    });
    return out;
  },

  mountain(s, p, rand) {
    let out = sun(s, rand(250, 1350), rand(140, 220), 60) + cloud(rand(300, 1300), 260, 1);
    [mix(p.mid, p.sky, 0.35), p.mid, p.deep, p.ink].forEach((fill, layer) => {
      const [pts, base] = [[-20, H], 330 + layer * 120];
      let caps = "";
      for (let x = -20; x < W + 200; x += rand(220, 380)) {
        const [vx, vy, tx, ty] = [x, base + rand(40, 120), x + rand(90, 160), base + layer * 20 - rand(40, 200)];
        const [sx, sy] = [tx + (vx - tx) * 0.3, ty + (vy - ty) * 0.3];
        const cap = [tx, ty, sx, sy, tx - 10, sy - 14, tx + 6, sy, tx + 40, ty + 40, tx + 70, ty + 60];
        if (layer < 2) caps += poly(cap, WHITE);
        pts.push(vx, vy, tx, ty);
      }
      out += poly([...pts, W + 20, H], fill) + caps;
    });
    return out + times(14, (i) => place(i * 120 + rand(-30, 30), H + 10, rand(0.8, 1.5), pine(p.ink)));
  },

  stadium(s, p, rand) {
    const [cx, cy, grass] = [800 + rand(-40, 40), 610, mix("#5f8a57", p.mid, 0.2)];
    const [top, bot] = [cy - 110, cy + 125];
    const at = (u: number, y: number) => [cx + u * (380 + ((y - top) / (bot - top)) * 90), y];
    const quad = (u: number, v: number, a: number, b: number) => [...at(u, a), ...at(v, a), ...at(v, b), ...at(u, b)];
    const mark = (u: number, v: number, a = top, b = bot) => stroke(`M${quad(u, v, a, b).map(num)}Z`, WHITE, 4);
    const ring = (i: number) => ellipse(cx, cy + i * 5, 740 - i * 30, 258 - i * 14, i % 2 ? p.mid : p.earth);
    let out = hill(ridge(s, 430, 20, 5), p.far) + rect(0, 520, W, H, p.shade);
    out += ellipse(cx, cy + 30, 790, 285, p.ink, 0.3);
    out += ellipse(cx, cy, 770, 275, p.deep) + times(5, ring) + ellipse(cx, cy + 12, 590, 185, mix(grass, p.ink, 0.2));
    out += times(10, (i) => poly(quad(i / 5 - 1, i / 5 - 0.8, top, bot), i % 2 ? grass : mix(grass, WHITE, 0.12)));
    out += mark(-1, 1) + mark(-1, -0.78, cy - 45, cy + 60) + mark(1, 0.78, cy - 45, cy + 60) + mark(0, 0);
    out += el("ellipse", { cx, cy: cy + 8, rx: 70, ry: 26, fill: "none", stroke: WHITE, "stroke-width": 4 });
    out += floodlight(s, cx - 640, 460, 84) + floodlight(s, cx + 640, 460, 84);
    return out + floodlight(s, 90, 780, 174) + floodlight(s, W - 90, 780, 174);
  },

  ship(s, p, rand) {
    const [sea, x0, x1, house] = [600, rand(150, 260), rand(1260, 1360), mix(p.soft, WHITE, 0.6)];
    const deck = sea - 80;
    const bow = (y: number): number => x1 + 70 - ((y - deck + 24) / (sea + 38 - deck)) * 90;
    const hull = (y: number) => [x0 + (y - deck) * 0.15, y, bow(y), y, bow(sea + 14), sea + 14, x0 + 30, sea + 14];
    let out = backdrop(s, sea - 20, rand(1100, 1450)) + water(s, sea, 26) + containers(s, x0 + 210, x1 - 60, deck, 5);
    out += ellipse((x0 + x1) / 2, sea + 20, (x1 - x0) / 1.8, 14, p.ink, 0.25) + poly(hull(deck - 24), p.ink);
    out += poly(hull(sea - 16), p.accent, 0.8) + rect(x0 + 40, deck - 190, 120, 190, house);
    out += rect(x0 + 20, deck - 190, 160, 26, house) + rect(x0 + 26, deck - 178, 148, 10, p.ink, 0.7);
    out += windows(s, x0 + 50, deck - 150, 100, 140, p.mid, p.ink, 26) + rect(x0 + 80, deck - 250, 44, 62, p.accent);
    out += rect(x0 + 80, deck - 256, 44, 14, p.ink);
    return out + times(6, (i) => ellipse(x0 - 30 - i * 60, sea + 10 + i * 4, 70 - i * 6, 5, WHITE, 0.35 - i * 0.04));
  },

  factory(s, p, rand) {
    const [floor, bx, wall, brick] = [720, rand(200, 300), 520, mix(p.deep, p.accent, 0.35)];
    const chimney = (x: number, top: number) => {
      const puff = (j: number) => circle(x + 30 + j * (38 + j * 6), top - 40 - j * 28, 26 + j * 9, WHITE, 0.6 - j / 16);
      const stack = poly([x - 30, floor, x + 30, floor, x + 20, top, x - 20, top], brick);
      return times(7, puff) + stack + rect(x - 24, top, 48, 12, p.ink) + rect(x - 22, top + 26, 44, 16, WHITE, 0.7);
    };
    let out = backdrop(s, 560) + chimney(rand(280, 380), rand(220, 340)) + chimney(rand(520, 620), rand(260, 380));
    out += chimney(rand(1300, 1400), rand(300, 420)) + rect(bx, wall, 1050, floor - wall, p.shade);
    out += times(7, (i) => poly([bx + i * 150, wall, bx + i * 150, wall - 90, bx + i * 150 + 150, wall], p.deep));
    out += times(7, (i) => rect(bx + i * 150, wall - 88, 16, 88, p.far)) + rect(bx, wall, 1050, 14, p.ink, 0.3);
    out += windows(s, bx + 20, wall + 30, 1010, 60, p.ink, p.accent, 36);
    out += times(3, (i) => rect(bx + 120 + i * 320, floor - 110, 90, 110, p.ink, 0.8));
    return out + rect(0, floor, W, H, mix(p.mid, p.ink, 0.45)) + rect(0, floor, W, 8, p.ink, 0.4);
  },

  wind(s, _p, rand) {
    const sea = 560;
    const row = (count: number, y: number, k: number, o: number) =>
      times(count, (i) => group(turbine(s, (W / count) * (i + 0.5) + rand(-40, 40), y, k), fade(o)));
    let out = sun(s, rand(250, 1350), rand(150, 260), 60) + cloud(rand(200, 1400), 180, 1) + water(s, sea, 28);
    out += row(9, sea + 2, 0.28, 0.55) + row(6, sea + 20, 0.55, 0.85) + row(3, sea + 120, 1.05, 1);
    return out + boat(s, rand(300, 1300), sea + 250, 0.9) + birds(s, 3);
  },

  bank(s, p, rand) {
    const gold = mix(p.accent, "#d9a441", 0.5);
    const stack = (i: number) => coins(4 + i * 3 + Math.floor(rand(0, 3)), gold, p.ink);
    const out = cloud(rand(200, 500), 180, 1) + ground(s, 710) + portico(s, 560 + rand(-40, 40), 720, 720, 330, 8);
    return out + times(3, (i) => place(1060 + i * 170, H - 30 - i * 10, 1.1 + i * 0.1, stack(i)));
  },

  market(s, p, rand) {
    const produce = [p.accent, mix(p.accent, "#b5452f", 0.5), mix(p.deep, "#5d8a3c", 0.5), mix(p.soft, "#e2b13c", 0.6)];
    const house = (x: number, top: number, tint: string) =>
      rect(x, top, 250, 640 - top, tint) + windows(s, x + 20, top + 30, 210, 420 - top, p.mid, p.ink, 70);
    const awning = (x: number, c: string) =>
      poly([x + 20, 360, x + 340, 360, x + 360, 450, x, 450], WHITE) +
      times(5, (j) => poly([x + 20 + j * 64, 360, x + 52 + j * 64, 360, x + 36 + j * 72, 450, x + j * 72, 450], c)) +
      times(10, (j) => circle(x + 18 + j * 36, 450, 18, j % 2 ? WHITE : c));
    let out = times(7, (i) => house(i * 260 - 20, rand(120, 220), mix(p.soft, s.pick([p.mid, p.accent, p.sky]), 0.3)));
    out += rect(0, 640, W, H, p.shade) + rect(0, 640, W, 10, p.ink, 0.2);
    for (let x = 40; x < W; x += 390) {
      out += path(d`M${x + 10} 400h10v330h-10zM${x + 340} 400h10v330h-10z`, p.ink) + rect(x, 640, 360, 110, p.ink, 0.8);
      out += awning(x, s.pick([p.accent, p.deep, p.mid])) + rect(x - 8, 630, 376, 16, p.deep);
      out += times(3, (c) => pile(x + 70 + c * 110, 612, s.pick(produce)));
    }
    return out;
  },

  court(s, p, rand) {
    const [cx, tilt, gold] = [800 + rand(-120, 120), rand(-9, 9), mix(p.accent, "#c79a3c", 0.5)];
    const [dx, dy] = [Math.cos((tilt * Math.PI) / 180) * 300, Math.sin((tilt * Math.PI) / 180) * 300];
    const pan = (x: number, y: number) => {
      const bowl = path(d`M${x - 120} ${y + 230}A120 52 0 0 0 ${x + 120} ${y + 230}Z`, gold);
      return stroke(d`M${x - 90} ${y + 230}L${x} ${y}L${x + 90} ${y + 230}`, p.ink, 3) + bowl;
    };
    const column = (x: number) => rect(x, 140, 70, 620, mix(p.soft, p.deep, 0.12)) + rect(x - 10, 140, 90, 24, p.soft);
    let out = rect(0, 120, W, 640, mix(p.soft, WHITE, 0.3)) + rect(0, 100, W, 40, p.shade);
    out += times(9, (i) => column(40 + i * 190)) + ground(s, 760);
    out += poly([cx - 150, 820, cx + 150, 820, cx + 96, 770, cx - 96, 770], p.ink) + rect(cx - 14, 260, 28, 520, gold);
    out += rotate(tilt, cx, 251, rect(cx - 310, 242, 620, 18, gold)) + circle(cx, 240, 30, gold);
    return out + pan(cx - dx, 251 - dy) + pan(cx + dx, 251 + dy) + poly([cx - 12, 214, cx, 180, cx + 12, 214], gold);
  },

  train(s, p, rand) {
    const [deck, x, car] = [560, rand(1000, 1250), mix(p.soft, WHITE, 0.5)];
    const carriage = (cx: number) =>
      rect(cx, deck - 120, 280, 106, car, 1, 10) + path(d`M${cx + 10} ${deck - 96}h260v28h-260z`, p.ink, 0.75);
    const arch = (ax: number) => d`L${ax} 860V${deck + 140}A110 110 0 0 0 ${ax - 220} ${deck + 140}V860`;
    const bridge = `M-10 860V${deck}H${W + 10}V860${times(6, (i) => arch(W - 60 - i * 260))}Z`;
    let out = backdrop(s, 430) + hill(ridge(s, 560, 40, 3), mix(p.deep, p.mid, 0.5)) + water(s, 780, 10);
    out += path(bridge, mix(p.soft, p.accent, 0.35)) + rect(-10, deck - 14, W + 20, 30, mix(p.soft, p.ink, 0.35));
    out += times(4, (i) => carriage(x - (i + 1) * 290)) + rect(x - 1160, deck - 50, 1160, 10, p.accent) + birds(s, 3);
    out += poly([x, deck - 14, x, deck - 120, x + 160, deck - 120, x + 230, deck - 60, x + 230, deck - 14], p.accent);
    return out + rect(x + 150, deck - 104, 50, 36, p.ink, 0.8) + rect(x, deck - 50, 230, 10, WHITE, 0.7);
  },

  theatre(s, p, rand) {
    const [red, sx] = [mix(p.accent, "#8c2f2f", 0.55), 800 + rand(-180, 180)];
    const dim = mix(red, p.ink, 0.3);
    const fold = (i: number) => poly([i * 48, 0, i * 48 + 48, 0, i * 62 + 60, 700, i * 62 + 6, 700], i % 2 ? red : dim);
    const actor = path("M-50 0L-40 -180Q0 -205 40 -180L50 0Z", p.ink) + circle(0, -230, 26, p.ink);
    let out = rect(0, 0, W, H, mix(p.ink, "#000000", 0.2)) + rect(0, 620, W, 280, mix(p.accent, p.ink, 0.6));
    out += poly([sx - 40, 0, sx + 40, 0, sx + 260, 700, sx - 260, 700], url(s, "beam")) + place(sx, 700, 1, actor);
    out += ellipse(sx, 700, 270, 50, WHITE, 0.3) + times(8, fold) + mirror(times(8, fold)) + rect(0, 0, W, 90, red);
    out += times(16, (i) => circle(50 + i * 100, 90, 50, mix(red, p.ink, 0.15))) + rect(0, 0, W, 24, p.accent, 0.6);
    return out + times(18, (i) => place(i * 95 + rand(-10, 10), H + 20 + (i % 2) * 14, rand(1.1, 1.3), person(p.ink)));
  },

  field(s, p, rand) {
    const [horizon, vx, straw] = [480, rand(500, 1100), mix(p.soft, p.accent, 0.5)];
    const hues = [mix(p.soft, p.accent, 0.3), mix(p.soft, p.deep, 0.35), p.soft, mix(p.mid, p.deep, 0.3)];
    const strip = (x: number) => [vx + (x - vx) * 0.12, horizon, vx + (x + 260 - vx) * 0.12, horizon, x + 260, H, x, H];
    const bale = circle(0, -50, 50, straw) + circle(0, -50, 30, p.accent, 0.4) + circle(0, -50, 14, straw);
    let out = backdrop(s, horizon - 30) + times(24, (i) => poly(strip(i * 260 - 2400), hues[i % 4]!));
    const copse = (i: number) => tree(120 + i * 330 + rand(-40, 40), horizon + 6, 0.6, p.deep, p.ink);
    const hay = (i: number) =>
      place(rand(100, 1500), 580 + i * 70, 0.6 + i * 0.2, ellipse(0, 2, 70, 10, p.ink, 0.2) + bale);
    out += rect(0, horizon, W, 6, p.deep, 0.5) + times(5, copse) + times(4, hay);
    return out + place(rand(200, 1200), 860, 1.1, tractor(p));
  },

  rain(_s, p, rand) {
    const [grey, slate] = [mix(p.mid, "#8d939c", 0.6), mix(p.deep, "#5a606b", 0.6)];
    const drops = times(170, () => d`M${rand(0, W + 100)} ${rand(160, H)}l-10 ${rand(26, 44)}`);
    const tower = (i: number) => rect(i * 118 + rand(-20, 20), rand(300, 480), rand(70, 110), H, slate, 0.5);
    let out = rect(0, 0, W, H, slate, 0.35) + times(14, tower) + rect(0, 620, W, 280, mix(slate, p.ink, 0.4));
    out += times(5, () => ellipse(rand(100, 1500), rand(700, 860), 120, 14, grey, 0.5));
    out += times(6, (i) => cloud(i * 300 + rand(-40, 40), rand(90, 150), rand(1.4, 2), i % 2 ? grey : slate, 0.95));
    return out + stroke(drops, p.sky, 2.5, { opacity: 0.6 }) + place(rand(500, 1100), 760, 1.5, umbrella(p));
  },

  crowd(s, p, rand) {
    let out = sun(s, rand(300, 1300), rand(180, 260), 90);
    [p.far, p.mid, mix(p.mid, p.deep, 0.5), p.deep, mix(p.deep, p.ink, 0.6)].forEach((tone, j) => {
      const k = 0.7 + j * 0.28;
      for (let x = rand(-60, 0); x < W + 60; x += 86 * k * rand(0.9, 1.1)) {
        const fill = rand(0, 1) < 0.12 ? mix(tone, p.accent, 0.6) : mix(tone, s.pick([p.ink, p.sky, p.soft]), 0.12);
        out += place(x, 430 + j * 120 + rand(-10, 10), k, person(fill, mix(fill, p.ink, 0.1)));
      }
    });
    return out;
  },

  lab(s, p, rand) {
    const liquids = [p.accent, mix(p.mid, "#4fa38a", 0.4), p.deep, mix(p.accent, "#d06a8a", 0.4)];
    const tubeGlass = { y: 470, width: 28, height: 170, rx: 14, ...glass(p.mid) };
    const tube = (x: number, level: number) =>
      rect(x, 640 - level, 28, level, s.pick(liquids), 1, 14) + el("rect", { x, ...tubeGlass });
    const trace = () => d`M${rand(0, W)} ${rand(60, 560)}h${rand(-240, 240)}v${rand(-90, 90)}h${rand(-240, 240)}`;
    let out = rect(0, 0, W, H, mix(p.sky, WHITE, 0.3)) + stroke(times(16, trace), p.mid, 5, { opacity: 0.45 });
    out += rect(0, 680, W, H, mix(p.deep, p.ink, 0.3)) + rect(0, 670, W, 24, p.shade);
    out += place(rand(220, 320), 670, 1.3, flask(p, false, rand(70, 120), s.pick(liquids)));
    out += place(rand(620, 700), 670, 1.3, flask(p, true, rand(60, 120), s.pick(liquids)));
    out += place(rand(980, 1020), 670, 1.1, flask(p, false, rand(50, 110), s.pick(liquids)));
    return out + rect(1180, 560, 320, 24, p.shade) + times(6, (i) => tube(1210 + i * 50, rand(40, 110)));
  },
};

/** The fallback for unknown motifs: an abstract composition of overlapping flat shapes. */
function abstract(s: Scene, p: Palette, rand: Rand): string {
  let out = circle(rand(500, 1100), rand(350, 550), rand(240, 320), p.light) + rect(0, rand(560, 640), W, H, p.shade);
  for (let i = 0; i < 7; i++) {
    const [x, y, size, shape] = [120 + i * 200 + rand(-40, 40), rand(200, 520), rand(140, 260), rand(0, 3)];
    const fill = s.pick([p.accent, p.deep, p.mid, p.soft, p.ink]);
    const dome = path(d`M${x} ${y + size}a${size / 2} ${size / 2} 0 0 1 ${size} 0z`, fill, 0.85);
    if (shape < 1) out += rect(x, y, size * 0.6, H - y - rand(40, 200), fill, 0.85);
    else out += shape < 2 ? dome : circle(x + size / 2, y + size / 2, size / 2, fill, 0.7);
  }
  return out;
}

/** An editorial illustration for demo articles: a 1600x900 SVG, deterministic for (motif, seed). */
export function renderIllustrationSvg(motif: string, seed: string): string {
  const key = motif.trim().toLowerCase();
  const next = mulberry32(hashString(`${seed}#${key}`));
  const prefix = `il${hashString(`${key}|${seed}`).toString(36)}`;
  const s: Scene = {
    p: withTones(PALETTES[hashString(seed) % PALETTES.length]!),
    rand: (min, max) => min + next() * (max - min),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    id: (name) => `${prefix}-${name}`,
  };
  const draw = Object.hasOwn(MOTIFS, key) ? MOTIFS[key]! : abstract;
  const body = defs(s, s.p) + rect(0, 0, W, H, url(s, "sky")) + draw(s, s.p, s.rand);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">${body}</svg>`;
}
