/**
 * What feeds and share images need of the files behind the site's picture addresses (`/media/<key>`, an upload;
 * `/media/demo/<name>`, a demo picture). `media` implements it; `app.ts` hands it to the modules that read it,
 * which may not import `media`.
 */

/** A stored picture as its file really is: size in bytes and pixels, and its media type. */
export type PictureFile = { bytes: number; width: number; height: number; contentType: string };

export type PictureFiles = {
  /** Undefined for an address that names no stored file (an outside URL, a file since deleted). */
  describe(url: string): Promise<PictureFile | undefined>;
  read(url: string): Promise<Buffer | undefined>;
};

/**
 * A picture cut to exactly `width`×`height` as a JPEG: "cover" fills the frame and crops what overflows, around
 * the busiest part; "contain" fits the whole picture and fills the margins with `background` (a #rrggbb colour).
 */
export type CropPicture = (
  source: Buffer,
  target: { width: number; height: number; fit: "cover" | "contain"; background: string },
) => Promise<Buffer>;
