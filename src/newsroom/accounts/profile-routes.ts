/** /admin/api/profile: one's own byline, as readers see it under articles and on the author page. */
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { type Static, Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import * as content from "../../content/index.js";
import * as media from "../../media/index.js";
import { Invalid } from "../../shared/errors.js";
import { MEDIA_PREFIX, parseMediaKey, responsiveImage } from "../../shared/responsive-image.js";
import { actorOf } from "../api-guard.js";
import { closed } from "../api-schema.js";
import type { NewsroomDeps } from "../newsroom-deps.js";

export const MAX_PROFILE_LINKS = 5;

const PhotoUrl = Type.Union([Type.String({ minLength: 1, maxLength: 2000 }), Type.Null()], {
  description: "An image from the media library (its url): upload it there first",
});
const ProfileLinks = Type.Array(Type.String({ maxLength: 500 }), {
  maxItems: MAX_PROFILE_LINKS,
  description: "The author's website and accounts elsewhere: https addresses",
});
/** Shown on the reader site, where it is escaped like any text; links only over https. */
const ProfileView = closed({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  bio: Type.String({ maxLength: 1000 }),
  xHandle: Type.Union([Type.String({ pattern: "^[A-Za-z0-9_]{1,15}$" }), Type.Null()]),
  photoUrl: PhotoUrl,
  photoSrcset: Type.Union([Type.String(), Type.Null()], {
    description: "The photo's smaller copies, for a preview's srcset; null for a photo without them",
  }),
  profileLinks: ProfileLinks,
});
/**
 * The photo and links may be left out: they stay as they are. The photo's copies are the server's to say:
 * accepted, so a profile as read can be sent back as it is, and ignored.
 */
const ProfileBody = closed({
  name: ProfileView.properties.name,
  bio: ProfileView.properties.bio,
  xHandle: ProfileView.properties.xHandle,
  photoUrl: Type.Optional(PhotoUrl),
  photoSrcset: Type.Optional(ProfileView.properties.photoSrcset),
  profileLinks: Type.Optional(ProfileLinks),
});

/** A link must be a whole https address: a reader's browser follows it from the paper's own page. */
function checkProfileLinks(links: string[]): string[] {
  return links.map((raw, i) => {
    const link = raw.trim();
    let url: URL | undefined;
    try {
      url = new URL(link);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== "https:" || !url.hostname.includes(".") || url.username || url.password) {
      throw new Invalid("PROFILE_LINK_NOT_HTTPS", `"${raw}" is not an https address`, {
        property: `profileLinks.${i}`,
        help: "Give the whole address, starting with https://",
      });
    }
    return url.href;
  });
}

/**
 * The photo is an image uploaded to the media library (so it was re-encoded and has its smaller copies), or the
 * one the byline has already (the demo paper's are shipped pictures, not library images).
 */
async function checkPhoto(deps: NewsroomDeps, photoUrl: string | null, current: string | null): Promise<void> {
  if (photoUrl === null || photoUrl === current) return;
  const key = photoUrl.startsWith(MEDIA_PREFIX) ? parseMediaKey(photoUrl.slice(MEDIA_PREFIX.length)) : undefined;
  const image = key?.kind === "original" ? await media.getImage(deps.db, key.stem).catch(() => undefined) : undefined;
  if (image?.url !== photoUrl) {
    throw new Invalid("PHOTO_NOT_IN_LIBRARY", "The photo must be an image from the media library", {
      property: "photoUrl",
      help: "Upload the photo to the media library, then choose it",
    });
  }
}

/** One's profile as the newsroom shows it: a library photo with its smaller copies, so a preview loads one of them. */
async function profileView(deps: NewsroomDeps, id: string): Promise<Static<typeof ProfileView>> {
  const profile = await content.getStaffProfile(deps.db, id);
  const photoSrcset = profile.photoUrl ? responsiveImage(profile.photoUrl)?.jpegSrcset : undefined;
  return { ...profile, photoSrcset: photoSrcset ?? null };
}

export function profileRoutes(app: FastifyInstance, deps: NewsroomDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();

  api.get("/profile", { schema: { response: { 200: ProfileView } } }, async (req) =>
    profileView(deps, actorOf(req).id),
  );

  api.put("/profile", { schema: { body: ProfileBody, response: { 200: ProfileView } } }, async (req) => {
    const id = actorOf(req).id;
    const current = await content.getStaffProfile(deps.db, id);
    const { name, bio, xHandle, photoUrl = current.photoUrl, profileLinks = current.profileLinks } = req.body;
    const profile = {
      name: name.trim(),
      bio: bio.trim(),
      xHandle,
      photoUrl,
      profileLinks: checkProfileLinks(profileLinks.filter((link) => link.trim())),
    };
    if (!profile.name) throw new Invalid("NAME_REQUIRED", "A byline needs a name", { property: "name" });
    await checkPhoto(deps, profile.photoUrl, current.photoUrl);
    await deps.invalidator.commit(async (tx) => ({
      invalidates: await content.updateStaffProfile(tx, id, profile),
    }));
    return profileView(deps, id);
  });
}
