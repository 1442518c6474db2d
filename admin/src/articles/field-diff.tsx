/** Two versions of an article's fields side by side: what conflicts and revision history show. */
import type { ArticleFields } from "../types.js";

const LABELS: Partial<Record<keyof ArticleFields, string>> = {
  title: "Headline",
  dek: "Dek",
  body: "Text",
  kind: "Kind",
  sectionId: "Section",
  authorIds: "Authors",
  tagNames: "Tags",
  featureImage: "Feature image",
  accessLevel: "Access",
  isMetered: "Metered",
  isFeatured: "Featured",
  metaTitle: "Search title",
  metaDescription: "Search description",
  socialTitle: "Social title",
  socialDescription: "Social description",
  canonicalUrl: "Canonical URL",
  sourceName: "Source",
  sourceUrl: "Source link",
  smartTypography: "Typography",
};

type Node = { type?: string; text?: string; content?: Node[] };

/** A document's text, one line a block. */
export function documentText(doc: unknown): string {
  const lines: string[] = [];
  const walk = (node: Node, line: string[]): void => {
    if (node.type === "text") line.push(node.text ?? "");
    else if (node.type === "image" || node.type === "embed") lines.push(`[${node.type}]`);
    else if (node.type === "previewBoundary") lines.push("— preview ends here —");
    for (const child of node.content ?? []) walk(child, line);
  };
  for (const block of (doc as Node | null)?.content ?? []) {
    const line: string[] = [];
    walk(block, line);
    if (line.length) lines.push(line.join(""));
  }
  return lines.join("\n");
}

function show(key: keyof ArticleFields, value: unknown): string {
  if (value === undefined || value === null || value === "") return "—";
  if (key === "body") return documentText(value);
  if (key === "featureImage") return (value as { url: string }).url;
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

export function changedKeys(a: ArticleFields, b: ArticleFields): (keyof ArticleFields)[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof ArticleFields)[]);
  return [...keys].filter((k) => JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null));
}

type Props = {
  left: { label: string; fields: ArticleFields };
  right: { label: string; fields: ArticleFields };
  keys?: string[];
};

export function FieldDiff({ left, right, keys }: Props) {
  const changed = (keys as (keyof ArticleFields)[] | undefined) ?? changedKeys(left.fields, right.fields);
  if (changed.length === 0) return <p class="muted">The two versions are the same.</p>;
  return (
    <table class="diff">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">{left.label}</th>
          <th scope="col">{right.label}</th>
        </tr>
      </thead>
      <tbody>
        {changed.map((key) => (
          <tr key={key}>
            <th scope="row">{LABELS[key] ?? key}</th>
            <td class="diff-old">{show(key, left.fields[key])}</td>
            <td class="diff-new">{show(key, right.fields[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
