/** The publishing rule for pictures: every image readers see, in the body or on top, is described in words. */
import { Invalid } from "../../shared/errors.js";
import type { ArticleDocument, BlockNode } from "./nodes.js";

export type PictureRef = { url: string; alt: string | null | undefined };

/** What has no alt text, in reading order: "the feature image", "body image 2 (/media/…)". */
export function listImagesWithoutAlt(doc: ArticleDocument, featureImage: PictureRef | undefined): string[] {
  const missing: string[] = [];
  if (featureImage && !featureImage.alt?.trim()) missing.push("the feature image");
  let n = 0;
  const visit = (node: BlockNode) => {
    if (node.type === "image") {
      n++;
      if (!node.attrs.alt.trim()) missing.push(`body image ${n} (${node.attrs.src})`);
    } else if (node.type === "blockquote") {
      node.content.forEach(visit);
    } else if (node.type === "bulletList" || node.type === "orderedList") {
      for (const item of node.content) item.content.forEach(visit);
    }
  };
  doc.content.forEach(visit);
  return missing;
}

/** Throws 400 naming every image without alt text; publishing and scheduling call it, and so do saves after. */
export function requireAltText(doc: ArticleDocument, featureImage: PictureRef | undefined): void {
  const missing = listImagesWithoutAlt(doc, featureImage);
  if (!missing.length) return;
  const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(", ")} and ${missing.at(-1)}`;
  throw new Invalid(
    "ALT_TEXT_REQUIRED",
    `Add alt text before publishing: ${list} ${missing.length === 1 ? "has" : "have"} none`,
    {
      property: missing[0] === "the feature image" ? "featureImage.alt" : "body",
      help: "Describe each picture in a sentence for readers who cannot see it, then publish again",
    },
  );
}
