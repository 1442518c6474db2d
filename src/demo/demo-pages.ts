/** Static pages of the demo newspaper. Body paragraphs may use **bold** and [text](/path) links. */
export type DemoPage = { slug: string; title: string; body: string[] };

export const demoPages: DemoPage[] = [
  {
    slug: "about",
    title: "About The Meridian Post",
    body: [
      "**The Meridian Post** is Valmora's national English-language daily. It was founded in Port Aster in 1998 by a group of six journalists who wanted the country's politics, business and culture to be reported in a language its neighbours, its diplomats and its growing foreign community could read. The first edition ran to 16 pages and sold 3,200 copies; today the Post publishes around the clock online and prints a weekend edition.",
      "The paper is owned by the Meridian Post Foundation, a non-profit trust registered in Port Aster. The foundation has no shareholders and pays no dividends: every crown of surplus is reinvested in journalism. It is funded mainly by readers, through subscriptions and donations, with advertising making up less than a quarter of its income.",
      "**Our independence.** No political party, government body, company or individual donor controls our editorial decisions. The foundation's charter forbids any single donor from providing more than 5% of its annual income, and it publishes the names of every donor who gives more than 10,000 crowns a year. The editor is appointed by the foundation's board for a five-year term and cannot be dismissed over the content of the paper.",
      "**Our standards.** We report what we can verify and say clearly when we cannot. We separate news from opinion and label analysis, opinion and sponsored material. We seek a response from anyone who is the subject of serious criticism before we publish, we do not pay sources, and our reporters do not accept gifts or free travel beyond what is needed to do the job. The full editorial code is available from the newsroom on request.",
      "**Corrections.** When we get something wrong, we correct it promptly and say so. Corrections are added to the foot of the article concerned, with a note explaining what was changed and when; significant errors are also listed in a weekly corrections column. We do not quietly edit published articles to remove mistakes. To report an error, write to corrections@meridianpost.example or use the details on our [contact page](/contact).",
      "If you believe we have breached our code and are not satisfied with our response, you can ask the foundation's readers' editor, who is independent of the newsroom and reports directly to the board, to review the complaint. The readers' editor's findings are published in full.",
    ],
  },
  {
    slug: "contact",
    title: "Contact us",
    body: [
      "**Newsroom.** For general enquiries and press releases, email news@meridianpost.example. The newsroom is staffed from 7am to midnight every day; outside those hours, messages are read by the duty editor first thing in the morning.",
      "**Tips and confidential information.** If you have a story you think we should investigate, email tips@meridianpost.example or write to us by post. Tell us as much as you can, but do not send original documents you need back. We protect our sources and will never reveal your identity without your consent. If your safety or your job could be at risk, say so in your first message and a senior editor will respond.",
      "**Corrections.** To report an error in something we have published, email corrections@meridianpost.example with a link to the article and a short explanation. Every report is read by an editor, and we aim to respond within two working days. Our corrections policy is described on the [About page](/about).",
      "**Subscriptions and accounts.** For help with your subscription, billing or your reader account, email subscriptions@meridianpost.example. Please include the email address you used to register.",
      "**Advertising and partnerships.** For rates and availability, email advertising@meridianpost.example. Advertisers have no influence over our journalism, and sponsored content is always clearly labelled.",
      "**By post or in person.** The Meridian Post, 22 Lantern Row, Harbour District, Port Aster 1010, Republic of Valmora. Reception is open from 9am to 5pm, Monday to Friday.",
    ],
  },
  {
    slug: "terms",
    title: "Terms of use",
    body: [
      "These terms apply to everyone who reads The Meridian Post online, creates a reader account or buys a subscription. By using the site you agree to them. The site is published by the Meridian Post Foundation, 22 Lantern Row, Port Aster 1010, Valmora.",
      "**Using our journalism.** Articles, photographs and graphics on this site are protected by copyright and, unless stated otherwise, belong to the Meridian Post Foundation. You may read, share links to and quote short extracts from our articles with a link back to the original. You may not republish whole articles, sell our content or copy it systematically, including for the purpose of building databases or training software, without our written permission.",
      "**Accounts.** You can read a limited number of articles each month without an account. Some articles require a free reader account, and others are available only to subscribers. You are responsible for keeping your login details secure and for activity on your account, and you must not share a subscription account with people outside your household.",
      "**Subscriptions.** Subscriptions are billed in advance and renew automatically every month until you cancel. You can cancel at any time from your account page or by emailing subscriptions@meridianpost.example; your access continues until the end of the period you have already paid for, and we do not charge cancellation fees. If we change the price of a subscription, we will tell you by email at least 30 days before the new price applies, so you can cancel first if you wish.",
      "**Comments and contributions.** If you send us letters, photographs or comments, you confirm that you have the right to share them and allow us to publish and edit them. We remove contributions that are abusive, unlawful or misleading.",
      "**Liability.** We work hard to make our reporting accurate, but the site is provided as it is, and nothing on it is financial, legal or medical advice. Errors are corrected in line with our corrections policy, described on the [About page](/about).",
      "We may update these terms from time to time. Material changes will be announced on the site and, for account holders, by email. These terms are governed by the law of the Republic of Valmora. Questions about them can be sent to the address on our [contact page](/contact).",
    ],
  },
  {
    slug: "privacy",
    title: "Privacy policy",
    body: [
      "The Meridian Post is funded by its readers, not by selling information about them. This policy explains what we collect, why, and what you can do about it. The Meridian Post Foundation, 22 Lantern Row, Port Aster 1010, Valmora, is responsible for your data.",
      "**Reader accounts.** When you register, we store your email address, a securely hashed version of your password, the date you joined and, if you choose to give it, your name. We use this to let you sign in, to remember your settings and to send you the newsletters you ask for. We do not sell, rent or share this information with advertisers.",
      "**Subscriptions.** If you subscribe, we also keep a record of your plan, your payment history and your billing address. Card payments are handled by our payment processor; we never see or store your full card number. We keep billing records for as long as Valmoran tax law requires, which is currently seven years.",
      "**Cookies.** We use two cookies. A **session cookie** keeps you signed in and is deleted when you sign out or after 30 days of inactivity. A **metering cookie** counts how many articles you have read this month so that we can show you free articles before asking you to register or subscribe; it contains a count and a date, not your identity. Neither is used for advertising.",
      "**No third-party trackers.** We do not use third-party advertising trackers, social media pixels or cross-site analytics. We measure readership with our own server logs, which are stripped of full IP addresses after 14 days. Embedded videos and posts from other platforms are only loaded when you choose to play or view them.",
      "**Your rights.** You can download a copy of the data we hold about you, correct it or delete your account at any time from your account page. Deleting your account removes your personal data within 30 days, except for billing records we are legally required to keep. For anything else, or to complain, write to privacy@meridianpost.example; you also have the right to complain to Valmora's Data Protection Office.",
      "We will tell you by email and on this page before making any material change to this policy. See also our [terms of use](/terms).",
    ],
  },
];
