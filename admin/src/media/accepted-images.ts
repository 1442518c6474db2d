/** An image in the media library, as /admin/api/media returns it. */
export type MediaImage = {
  id: string;
  url: string;
  width: number;
  height: number;
  bytes: number;
  originalName: string;
  alt: string;
  caption: string;
  credit: string;
  srcset: { webp: string; jpeg: string };
  createdAt: string;
};
export type MediaPage = { images: MediaImage[]; meta: { page: number; pages: number; total: number; perPage: number } };

export const ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp,image/gif,image/avif";
