/** The demo newspaper: a fictional national English-language daily of a fictional small country. */
export const demoSite = {
  title: "The Meridian Post",
  description: "Independent news and analysis from Valmora, in English, since 1998.",
  language: "en",
  timeZone: "Europe/Istanbul",
  currency: "EUR",
  accentColor: "#9b1c1c",
  xHandle: "meridianpost",
  facebookPage: "https://www.facebook.com/meridianpost",
  // The paper's paywall: news mostly free, analysis and features for subscribers with a monthly sample.
  kindAccessDefaults: {
    analysis: { accessLevel: "paid", isMetered: true },
    feature: { accessLevel: "paid", isMetered: true },
  },
} as const;

export const demoSections = [
  { slug: "politics", name: "Politics", description: "Government, the Assembly, elections and the courts." },
  { slug: "business", name: "Business", description: "The economy, companies, energy, markets and work." },
  { slug: "world", name: "World", description: "Valmora's neighbours, its diplomacy and the wider world." },
  { slug: "environment", name: "Environment", description: "Climate, the coast, farming, water and wildlife." },
  {
    slug: "technology",
    name: "Technology",
    description: "Start-ups, science, digital government and the networks we live on.",
  },
  { slug: "culture", name: "Culture", description: "Books, film, music, food and the arts." },
  { slug: "sport", name: "Sport", description: "Football, wrestling, sailing and the national teams." },
] as const;

export const demoAuthors = [
  {
    slug: "aysel-memmedova",
    // Addresses on the reserved .example domain: the demo's people are invented.
    links: ["https://aysel-memmedova.example/", "https://social.example/@aysel"],
    name: "Aysel Məmmədova",
    role: "editor",
    bio: "Politics editor. Has covered the Assembly since 2011 and three general elections.",
  },
  {
    slug: "daniel-okoro",
    links: ["https://danielokoro.example/", "https://social.example/@dokoro"],
    name: "Daniel Okoro",
    role: "author",
    bio: "Economics correspondent. Before journalism he was an analyst at the National Bank of Valmora.",
  },
  {
    slug: "lena-vukovic",
    links: ["https://social.example/@lena"],
    name: "Lena Vuković",
    role: "author",
    bio: "Environment and science reporter based in Dresk. Writes about the coast, water and energy.",
  },
  {
    slug: "tomas-ferreira",
    links: ["https://tomasferreira.example/reviews/"],
    name: "Tomás Ferreira",
    role: "author",
    bio: "Culture writer and critic. Reviews books, film and the Port Aster music scene.",
  },
  {
    slug: "hannah-lindqvist",
    links: ["https://social.example/@hannahsails"],
    name: "Hannah Lindqvist",
    role: "contributor",
    bio: "Sport and features. Former national-team sailor, now writing about the people behind the results.",
  },
] as const;
