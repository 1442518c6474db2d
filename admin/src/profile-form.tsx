import { useState } from "preact/hooks";
import { api, type Reply, uploadFile } from "./api.js";
import { ACCEPTED_IMAGES } from "./media/accepted-images.js";
import { type FormMessage, FormMessageLine, useLoad } from "./parts.js";

type Profile = Reply<"GET", "/profile">;
type Photo = Pick<Profile, "photoUrl" | "photoSrcset">;

/** The preview's size: the browser picks the smallest copy that fills it, as the site does for an author's face. */
const PREVIEW_SIZE = 96;

/** The photo: uploaded into the media library (re-encoded there, with its smaller copies), then used. */
function PhotoField(props: { photo: Photo; onChange: (photo: Photo) => void }) {
  const { photoUrl, photoSrcset } = props.photo;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const { image } = await uploadFile("/media", file);
      props.onChange({ photoUrl: image.url, photoSrcset: image.srcset.jpeg });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset class="field profile-photo">
      <legend>Photo (square works best; readers see it round, beside your name)</legend>
      {photoUrl && (
        <img
          src={photoUrl}
          srcset={photoSrcset ?? undefined}
          sizes={photoSrcset ? `${PREVIEW_SIZE}px` : undefined}
          alt=""
          width={PREVIEW_SIZE}
          height={PREVIEW_SIZE}
        />
      )}
      <label class="button">
        {busy ? "Uploading…" : photoUrl ? "Upload another photo" : "Upload a photo"}
        <input
          type="file"
          accept={ACCEPTED_IMAGES}
          class="sr-only"
          disabled={busy}
          onChange={(e) => upload(e.currentTarget.files?.[0])}
        />
      </label>
      {photoUrl && (
        <button type="button" class="button" onClick={() => props.onChange({ photoUrl: null, photoSrcset: null })}>
          Remove photo
        </button>
      )}
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** One's byline: the name, photo, short biography and accounts readers see under articles and on the author page. */
export function ProfileForm({ email, role }: { email: string; role: string }) {
  const loaded = useLoad(() => api("GET", "/profile"), "profile");
  const [form, setForm] = useState<Profile | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const profile = form ?? loaded.data;
  if (!profile) return null;
  const set = (changes: Partial<Profile>) => setForm({ ...profile, ...changes });
  const save = async () => {
    setMessage(null);
    try {
      const profileLinks = profile.profileLinks.map((link) => link.trim()).filter(Boolean);
      const xHandle = profile.xHandle?.replace(/^@/, "") || null;
      const body = { name: profile.name, bio: profile.bio, xHandle, photoUrl: profile.photoUrl, profileLinks };
      setForm(await api("PUT", "/profile", { body }));
      setMessage({ tone: "ok", text: "Saved: your byline reads like this on the site now." });
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    }
  };
  return (
    <form
      class="panel"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <h2>Your byline</h2>
      <p class="muted">
        {email} · {role}
      </p>
      <FormMessageLine message={message} />
      <label class="field">
        <span>Name</span>
        <input
          name="name"
          required
          maxLength={120}
          value={profile.name}
          onInput={(e) => set({ name: e.currentTarget.value })}
        />
      </label>
      <PhotoField photo={profile} onChange={set} />
      <label class="field">
        <span>About you (under your articles and on your author page)</span>
        <textarea
          name="bio"
          rows={3}
          maxLength={1000}
          value={profile.bio}
          onInput={(e) => set({ bio: e.currentTarget.value })}
        />
      </label>
      <label class="field">
        <span>X handle</span>
        <input
          name="xHandle"
          placeholder="@handle"
          maxLength={16}
          value={profile.xHandle ?? ""}
          onInput={(e) => set({ xHandle: e.currentTarget.value || null })}
        />
      </label>
      <label class="field">
        <span>Your website and other accounts (one https:// address a line, at most 5)</span>
        <textarea
          name="profileLinks"
          rows={3}
          value={profile.profileLinks.join("\n")}
          onInput={(e) => set({ profileLinks: e.currentTarget.value.split("\n") })}
        />
      </label>
      <button type="submit" class="button button-primary">
        Save byline
      </button>
    </form>
  );
}
