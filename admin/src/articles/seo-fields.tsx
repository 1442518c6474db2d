import type { ArticleFields } from "../types.js";

type Props = { fields: ArticleFields; edit: (changes: Partial<ArticleFields>) => void; slug: string | null };

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);

/**
 * Search and social fields, with how the result and the shared card will look as they are typed; and where
 * syndicated copy comes from (its canonical address and its source).
 */
export function SeoFields({ fields, edit, slug }: Props) {
  const host = window.location.host;
  const searchTitle = fields.metaTitle?.trim() || fields.title || "Headline";
  const searchText = fields.metaDescription?.trim() || fields.dek || "The dek is used when no description is set.";
  const socialTitle = fields.socialTitle?.trim() || searchTitle;
  const socialText = fields.socialDescription?.trim() || searchText;
  const input = (
    key:
      | "metaTitle"
      | "metaDescription"
      | "socialTitle"
      | "socialDescription"
      | "canonicalUrl"
      | "sourceName"
      | "sourceUrl",
    label: string,
    max: number,
    rows = 1,
  ) => (
    <label class="field" htmlFor={`seo-${key}`}>
      <span>
        {label}
        <span class="count">
          {(fields[key] ?? "").length}/{max}
        </span>
      </span>
      {rows > 1 ? (
        <textarea
          name={key}
          rows={rows}
          maxLength={max}
          value={fields[key] ?? ""}
          onInput={(e) => edit({ [key]: e.currentTarget.value })}
        />
      ) : (
        <input
          name={key}
          maxLength={max}
          value={fields[key] ?? ""}
          onInput={(e) => edit({ [key]: e.currentTarget.value })}
        />
      )}
    </label>
  );
  return (
    <details class="fieldset">
      <summary>Search and social</summary>
      <figure class="serp" aria-label="Search result preview">
        <span class="serp-url">
          {host} › {slug ?? "…"}
        </span>
        <span class="serp-title">{clip(searchTitle, 60)}</span>
        <span class="serp-text">{clip(searchText, 155)}</span>
      </figure>
      {input("metaTitle", "Search title", 300)}
      {input("metaDescription", "Search description", 500, 3)}
      <figure class="social-card" aria-label="Social card preview">
        {fields.featureImage?.url ? (
          <img src={fields.featureImage.url} alt="" />
        ) : (
          <div class="social-card-generated">{socialTitle}</div>
        )}
        <div class="social-card-text">
          <span class="social-card-host">{host}</span>
          <strong>{clip(socialTitle, 70)}</strong>
          <span>{clip(socialText, 120)}</span>
        </div>
      </figure>
      {input("socialTitle", "Social title", 300)}
      {input("socialDescription", "Social description", 500, 3)}
      {input("canonicalUrl", "Canonical URL (only if first published elsewhere)", 2000)}
      {input("sourceName", "Source (agency or paper the copy comes from, credited under the byline)", 200)}
      {input("sourceUrl", "Source link (https://…, the original piece)", 2000)}
    </details>
  );
}
