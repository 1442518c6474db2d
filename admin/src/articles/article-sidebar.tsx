import { useState } from "preact/hooks";
import { api } from "../api.js";
import {
  ACCESS_LEVELS,
  type ArticleDetail,
  type ArticleFields,
  atLeast,
  type Colleague,
  KINDS,
  type Section,
  type Staff,
  type Tag,
} from "../types.js";
import type { ImageAttrs } from "./document-extensions.js";
import { ImageFields } from "./image-fields.js";
import type { ImagePicker } from "./media-upload.js";
import { SeoFields } from "./seo-fields.js";
import { ViewsChart } from "./views-chart.js";

type Props = {
  detail: ArticleDetail | null;
  fields: ArticleFields;
  edit: (changes: Partial<ArticleFields>) => void;
  sections: Section[];
  people: Colleague[];
  tags: Tag[];
  me: Staff;
  images: ImagePicker;
  onSlugChanged: (article: ArticleDetail) => void;
  onCorrection: () => void;
};

const ACCESS_LABELS = { public: "Free for everyone", registered: "Registered readers", paid: "Subscribers" } as const;
const title = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export function ArticleSidebar(props: Props) {
  const { fields, edit, sections, me, detail } = props;
  const image: ImageAttrs = {
    src: fields.featureImage?.url ?? "",
    alt: fields.featureImage?.alt ?? "",
    caption: fields.featureImage?.caption ?? "",
    credit: fields.featureImage?.credit ?? "",
  };
  return (
    <div class="side-fields">
      <div class="field-row">
        <label class="field">
          <span>Section</span>
          <select name="section" value={fields.sectionId} onChange={(e) => edit({ sectionId: e.currentTarget.value })}>
            {sections
              .filter((s) => !s.archivedAt || s.id === fields.sectionId)
              .map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
          </select>
        </label>
        <label class="field">
          <span>Kind</span>
          <select
            name="kind"
            value={fields.kind}
            onChange={(e) => edit({ kind: e.currentTarget.value as ArticleFields["kind"] })}
          >
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {title(k)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <AuthorsField
        ids={fields.authorIds}
        people={props.people}
        // Below editor the server refuses taking anyone off a saved byline, oneself included (policy.ts).
        locked={atLeast(me, "editor") ? [] : [me.id, ...(detail?.authors.map((a) => a.id) ?? [])]}
        onChange={(authorIds) => edit({ authorIds })}
      />
      <TagsField names={fields.tagNames ?? []} known={props.tags} onChange={(tagNames) => edit({ tagNames })} />
      <fieldset class="fieldset">
        <legend>Who can read it</legend>
        <select
          name="access"
          aria-label="Access level"
          value={fields.accessLevel ?? "public"}
          onChange={(e) => edit({ accessLevel: e.currentTarget.value as ArticleFields["accessLevel"] })}
        >
          {ACCESS_LEVELS.map((level) => (
            <option key={level} value={level}>
              {ACCESS_LABELS[level]}
            </option>
          ))}
        </select>
        {fields.accessLevel && fields.accessLevel !== "public" && (
          <label class="check">
            <input
              type="checkbox"
              name="metered"
              checked={fields.isMetered ?? false}
              onChange={(e) => edit({ isMetered: e.currentTarget.checked })}
            />
            Metered: readers without access may read it as one of their free articles
          </label>
        )}
        <p class="hint">Readers without access see the text up to the "Preview ends" divider.</p>
      </fieldset>
      {atLeast(me, "editor") && (
        <fieldset class="fieldset">
          <legend>On the home page</legend>
          <label class="check">
            <input
              type="checkbox"
              name="featured"
              checked={fields.isFeatured ?? false}
              onChange={(e) => edit({ isFeatured: e.currentTarget.checked })}
            />
            Featured: leads the front page when the editors have not chosen a lead
          </label>
        </fieldset>
      )}
      <fieldset class="fieldset">
        <legend>Typography</legend>
        <label class="check">
          <input
            type="checkbox"
            name="smartTypography"
            checked={fields.smartTypography ?? true}
            onChange={(e) => edit({ smartTypography: e.currentTarget.checked })}
          />
          Paper's typography on save: curly quotes, dashes, non-breaking spaces
        </label>
        <p class="hint">Turn it off to keep headline, dek and text exactly as typed, then retype what it changed.</p>
      </fieldset>
      <details class="fieldset" open={Boolean(image.src)}>
        <summary>Feature image</summary>
        <ImageFields
          value={image}
          images={props.images}
          onChange={(v) =>
            edit({ featureImage: v.src ? { url: v.src, alt: v.alt, caption: v.caption, credit: v.credit } : undefined })
          }
        />
      </details>
      <SeoFields fields={fields} edit={edit} slug={detail?.slug ?? null} />
      {detail && <SlugField detail={detail} onChanged={props.onSlugChanged} />}
      {detail && detail.status === "published" && <CorrectionForm articleId={detail.id} onAdded={props.onCorrection} />}
      {detail?.publishedAt && atLeast(me, "editor") && <ViewsChart articleId={detail.id} />}
    </div>
  );
}

function AuthorsField({
  ids,
  people,
  locked,
  onChange,
}: {
  ids: string[];
  people: Colleague[];
  /** Names this staff member may not take off the byline. */
  locked: string[];
  onChange: (ids: string[]) => void;
}) {
  const name = (id: string) => people.find((p) => p.id === id)?.name ?? "Unknown";
  const move = (from: number, to: number) => {
    const next = [...ids];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    onChange(next);
  };
  const others = people.filter((p) => !ids.includes(p.id));
  return (
    <fieldset class="fieldset">
      <legend>Byline</legend>
      <ol class="ordered-list">
        {ids.map((id, i) => (
          <li key={id}>
            <span>{name(id)}</span>
            <span class="row-buttons">
              <button
                type="button"
                class="tool"
                aria-label={`Move ${name(id)} up`}
                disabled={i === 0}
                onClick={() => move(i, i - 1)}
              >
                ↑
              </button>
              <button
                type="button"
                class="tool"
                aria-label={`Move ${name(id)} down`}
                disabled={i === ids.length - 1}
                onClick={() => move(i, i + 1)}
              >
                ↓
              </button>
              <button
                type="button"
                class="tool"
                aria-label={`Remove ${name(id)}`}
                disabled={ids.length === 1 || locked.includes(id)}
                onClick={() => onChange(ids.filter((x) => x !== id))}
              >
                ×
              </button>
            </span>
          </li>
        ))}
      </ol>
      {others.length > 0 && (
        <select
          aria-label="Add an author"
          value=""
          onChange={(e) => {
            const id = e.currentTarget.value;
            if (id) onChange([...ids, id]);
          }}
        >
          <option value="">Add an author…</option>
          {others.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      )}
    </fieldset>
  );
}

function TagsField({ names, known, onChange }: { names: string[]; known: Tag[]; onChange: (names: string[]) => void }) {
  const [draft, setDraft] = useState("");
  const add = () => {
    const name = draft.trim().replace(/,$/, "");
    if (name && !names.some((n) => n.toLowerCase() === name.toLowerCase())) onChange([...names, name]);
    setDraft("");
  };
  return (
    <fieldset class="fieldset">
      <legend>Tags</legend>
      <ul class="chips">
        {names.map((n) => (
          <li key={n} class="chip">
            {n}
            <button type="button" aria-label={`Remove tag ${n}`} onClick={() => onChange(names.filter((x) => x !== n))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <input
        name="tag"
        list="known-tags"
        aria-label="Add a tag"
        placeholder="Add a tag and press Enter"
        maxLength={80}
        value={draft}
        onInput={(e) => {
          const value = e.currentTarget.value;
          if (value.endsWith(",")) {
            setDraft(value.slice(0, -1));
            setTimeout(add);
          } else setDraft(value);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
      <datalist id="known-tags">
        {known.map((t) => (
          <option key={t.id} value={t.name} />
        ))}
      </datalist>
      <p class="hint">New tags are created when the article is saved.</p>
    </fieldset>
  );
}

function SlugField({ detail, onChanged }: { detail: ArticleDetail; onChanged: (a: ArticleDetail) => void }) {
  const [slug, setSlug] = useState(detail.slug);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      const { article } = await api("PUT", "/articles/{id}/slug", { params: { id: detail.id }, body: { slug } });
      onChanged(article);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <fieldset class="fieldset">
      <legend>Address</legend>
      <div class="inline-form">
        <span class="muted">/</span>
        <input
          name="slug"
          aria-label="Slug"
          maxLength={120}
          value={slug}
          onInput={(e) => setSlug(e.currentTarget.value)}
        />
        <button type="button" class="button button-small" disabled={slug === detail.slug} onClick={save}>
          Change
        </button>
      </div>
      {error && <p class="field-error">{error}</p>}
    </fieldset>
  );
}

function CorrectionForm({ articleId, onAdded }: { articleId: string; onAdded: () => void }) {
  const [kind, setKind] = useState<"correction" | "update">("correction");
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const add = async () => {
    setError(null);
    try {
      await api("POST", "/articles/{id}/corrections", { params: { id: articleId }, body: { kind, note } });
      setNote("");
      onAdded();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <fieldset class="fieldset">
      <legend>Correction or update</legend>
      <select aria-label="Kind of note" value={kind} onChange={(e) => setKind(e.currentTarget.value as typeof kind)}>
        <option value="correction">Correction</option>
        <option value="update">Update</option>
      </select>
      <textarea
        name="correction"
        aria-label="Note"
        rows={3}
        maxLength={2000}
        placeholder="What was wrong, or what is new"
        value={note}
        onInput={(e) => setNote(e.currentTarget.value)}
      />
      {error && <p class="field-error">{error}</p>}
      <button type="button" class="button button-small" disabled={!note.trim()} onClick={add}>
        Add to the article
      </button>
    </fieldset>
  );
}
