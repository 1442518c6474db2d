/** One branded frame for every message: a spec of heading, paragraphs and an optional button, as HTML and text. */
import { renderToString } from "preact-render-to-string";

/** What a message takes from the site's settings. */
export type Brand = { title: string; accentColor: string; language: string; publicUrl: string };

export type EmailSpec = {
  subject: string;
  /** The line mail clients show after the subject. */
  preheader: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the button: why the reader got this, what to do if it was not them. */
  footnotes?: string[];
  /** An article's body after the paragraphs: HTML the caller made safe (content's allow-listed render), and its text. */
  body?: { html: string; text: string };
  /** Links in the small print (a newsletter's unsubscribe and preferences). */
  links?: { label: string; url: string }[];
};

export type RenderedEmail = { subject: string; html: string; text: string; fromName: string };

const FALLBACK_ACCENT = "#9b1c1c";
const SERIF = "Georgia, 'Times New Roman', serif";
const SANS = "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

export function renderEmail(brand: Brand, spec: EmailSpec): RenderedEmail {
  return {
    subject: spec.subject,
    html: `<!doctype html>${renderToString(<EmailFrame brand={brand} spec={spec} />)}`,
    text: renderText(brand, spec),
    fromName: brand.title,
  };
}

function EmailFrame(props: { brand: Brand; spec: EmailSpec }) {
  const { brand, spec } = props;
  // Mail clients ignore stylesheets and custom properties: every style is inline and every layout a table.
  const accent = /^#[0-9a-fA-F]{3,8}$/.test(brand.accentColor) ? brand.accentColor : FALLBACK_ACCENT;
  return (
    <html lang={brand.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>{spec.subject}</title>
      </head>
      <body style="margin:0;padding:0;background:#f1ede4;color:#161513">
        <div style="display:none;max-height:0;overflow:hidden">{spec.preheader}</div>
        <table role="presentation" width="100%" cellPadding="0" cellSpacing="0" style="background:#f1ede4">
          <tr>
            <td align="center" style="padding:24px 12px">
              <table
                role="presentation"
                width="100%"
                cellPadding="0"
                cellSpacing="0"
                style={`max-width:560px;background:#fbfaf7;border-top:4px solid ${accent}`}
              >
                <Masthead brand={brand} />
                <Message spec={spec} />
                {spec.action && <ActionButton action={spec.action} accent={accent} />}
                {spec.footnotes && spec.footnotes.length > 0 && (
                  <SmallPrint footnotes={spec.footnotes} links={spec.links} />
                )}
              </table>
              <p style={`margin:16px 0 0;font-family:${SANS};font-size:12px;color:#5f5a52`}>
                {brand.title} ·{" "}
                <a href={brand.publicUrl} style="color:#5f5a52">
                  {displayHost(brand.publicUrl)}
                </a>
              </p>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );
}

/** The paper's name over a double rule. */
function Masthead({ brand }: { brand: Brand }) {
  return (
    <tr>
      <td
        style={`padding:24px 32px 12px;font-family:${SERIF};font-size:26px;font-weight:700;text-align:center;border-bottom:3px double #161513`}
      >
        <a href={brand.publicUrl} style="color:#161513;text-decoration:none">
          {brand.title}
        </a>
      </td>
    </tr>
  );
}

function Message({ spec }: { spec: EmailSpec }) {
  return (
    <tr>
      <td style={`padding:28px 32px 8px;font-family:${SERIF};font-size:17px;line-height:1.55`}>
        <h1 style={`margin:0 0 16px;font-family:${SERIF};font-size:24px;line-height:1.2`}>{spec.heading}</h1>
        {spec.paragraphs.map((p) => (
          <p style="margin:0 0 16px">{p}</p>
        ))}
        {spec.body && <div dangerouslySetInnerHTML={{ __html: spec.body.html }} />}
      </td>
    </tr>
  );
}

/** The button, and its address written out for clients that show no buttons. */
function ActionButton(props: { action: NonNullable<EmailSpec["action"]>; accent: string }) {
  const { action, accent } = props;
  return (
    <tr>
      <td style="padding:8px 32px 24px">
        <table role="presentation" cellPadding="0" cellSpacing="0">
          <tr>
            <td style={`background:${accent};border-radius:3px`}>
              <a
                href={action.url}
                style={`display:inline-block;padding:12px 22px;font-family:${SANS};font-size:16px;font-weight:700;color:#ffffff;text-decoration:none`}
              >
                {action.label}
              </a>
            </td>
          </tr>
        </table>
        <p style={`margin:16px 0 0;font-family:${SANS};font-size:13px;color:#5f5a52`}>
          Or paste this address into your browser:
          <br />
          <a href={action.url} style={`color:${accent};word-break:break-all`}>
            {action.url}
          </a>
        </p>
      </td>
    </tr>
  );
}

function SmallPrint(props: { footnotes: string[]; links: EmailSpec["links"] }) {
  return (
    <tr>
      <td
        style={`padding:16px 32px 24px;font-family:${SANS};font-size:13px;line-height:1.5;color:#5f5a52;border-top:1px solid #d9d3c7`}
      >
        {props.footnotes.map((f) => (
          <p style="margin:0 0 8px">{f}</p>
        ))}
        {props.links?.map((link) => (
          <p style="margin:0 0 8px">
            <a href={link.url} style="color:#5f5a52">
              {link.label}
            </a>
          </p>
        ))}
      </td>
    </tr>
  );
}

function renderText(brand: Brand, spec: EmailSpec): string {
  const parts = [brand.title.toUpperCase(), spec.heading, ...spec.paragraphs];
  if (spec.body) parts.push(spec.body.text);
  if (spec.action) parts.push(`${spec.action.label}:\n${spec.action.url}`);
  parts.push(...(spec.footnotes ?? []));
  for (const link of spec.links ?? []) parts.push(`${link.label}:\n${link.url}`);
  parts.push(`--\n${brand.title} · ${brand.publicUrl}`);
  return `${parts.join("\n\n")}\n`;
}

function displayHost(publicUrl: string): string {
  return new URL(publicUrl).host;
}
