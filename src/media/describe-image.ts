/** The words that go with a library image: alt text, caption, credit. */
import { eq } from "drizzle-orm";
import { NotFound } from "../shared/errors.js";
import { getImage, type MediaImage } from "./queries.js";
import { mediaImages } from "./schema.js";
import type { MediaDeps } from "./upload-image.js";

export type DescribeInput = { id: string; alt?: string; caption?: string; credit?: string };

/**
 * Sets whichever of alt, caption and credit are given (trimmed). Articles keep their own copy of these, taken
 * when the image was put in them, so this changes no published page.
 */
export async function describeImage(deps: Pick<MediaDeps, "db" | "clock">, input: DescribeInput): Promise<MediaImage> {
  const changes = {
    ...(input.alt !== undefined ? { alt: input.alt.trim() } : {}),
    ...(input.caption !== undefined ? { caption: input.caption.trim() } : {}),
    ...(input.credit !== undefined ? { credit: input.credit.trim() } : {}),
  };
  const updated = await deps.db
    .update(mediaImages)
    .set({ ...changes, updatedAt: deps.clock.now() })
    .where(eq(mediaImages.id, input.id))
    .returning({ id: mediaImages.id });
  if (!updated.length) throw new NotFound("IMAGE_NOT_FOUND", `No image with id ${input.id}`);
  return getImage(deps.db, input.id);
}
