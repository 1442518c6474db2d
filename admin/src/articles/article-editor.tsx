import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { useRoute } from "preact-iso";
import { ApiError, api } from "../api.js";
import { ErrorNote, formatTime, StatusBadge, useLoad } from "../parts.js";
import { useStaff } from "../session.js";
import type { ArticleDetail, ArticleFields, Colleague, Conflict, Section, Staff, Tag } from "../types.js";
import { ArticleSidebar } from "./article-sidebar.js";
import { BodyEditor } from "./body-editor.js";
import { ConflictPanel } from "./conflict-panel.js";
import { imagePicker } from "./media-upload.js";
import { RevisionsPanel } from "./revisions-panel.js";
import { WorkflowBar } from "./workflow-bar.js";

// Drafts save themselves this long after the last keystroke; published articles only when asked.
const AUTOSAVE_MS = 2500;

type SaveState =
  | { kind: "clean" }
  | { kind: "dirty" }
  | { kind: "saving" }
  | { kind: "saved"; at: Date }
  | { kind: "failed"; message: string };

export function ArticleEditor() {
  const { params } = useRoute();
  const id = params.id;
  const { staff } = useStaff();
  const sections = useLoad(() => api("GET", "/sections"), "sections");
  const people = useLoad(() => api("GET", "/staff"), "staff");
  const tags = useLoad(() => api("GET", "/tags"), "tags");
  const article = useLoad(
    () => (id ? api("GET", "/articles/{id}", { params: { id } }).then((r) => r.article) : Promise.resolve(null)),
    id ?? "new",
  );

  if (article.error) return <ErrorNote>{article.error}</ErrorNote>;
  if (article.data === undefined || !sections.data || !people.data) return <p class="loading">Opening the article…</p>;
  return (
    <EditorScreen
      key={article.data?.id ?? "new"}
      loaded={article.data}
      sections={sections.data.sections}
      people={people.data.staff}
      tags={tags.data?.tags ?? []}
      me={staff}
    />
  );
}

type ScreenProps = { loaded: ArticleDetail | null; sections: Section[]; people: Colleague[]; tags: Tag[]; me: Staff };

function blankFields(me: Staff, sections: Section[]): ArticleFields {
  return {
    title: "",
    dek: "",
    kind: "news",
    sectionId: sections.find((s) => !s.archivedAt)?.id ?? "",
    authorIds: [me.id],
    tagNames: [],
    body: { type: "doc", content: [{ type: "paragraph" }] },
  };
}

function EditorScreen({ loaded, sections, people, tags, me }: ScreenProps) {
  const [detail, setDetail] = useState<ArticleDetail | null>(loaded);
  const [fields, setFields] = useState<ArticleFields>(loaded?.fields ?? blankFields(me, sections));
  const [save, setSave] = useState<SaveState>({ kind: "clean" });
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [bodyReplace, setBodyReplace] = useState<{ doc: unknown; at: number } | null>(null);
  const [notice, setNotice] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [panel, setPanel] = useState<"details" | "history">("details");
  const latest = useRef(fields);
  latest.current = fields;
  const images = useMemo(() => imagePicker((text) => setNotice({ tone: "error", text })), []);

  const status = detail?.status ?? "draft";
  const live = status === "published" || status === "scheduled";
  const autosaves = !live && !conflict;

  const edit = (changes: Partial<ArticleFields>) => {
    setFields((f) => ({ ...f, ...changes }));
    setSave({ kind: "dirty" });
  };

  // Saves run one after another, each from the article the previous one left: two at once would create the
  // article twice, or collide with each other as a false conflict.
  const savedDetail = useRef(detail);
  savedDetail.current = detail;
  const saving = useRef<Promise<unknown>>(Promise.resolve());

  /** Writes what is on the screen; a stale base version comes back as a conflict, nothing overwritten. */
  const persist = (baseVersion?: number): Promise<ArticleDetail | null> => {
    const next = saving.current.then(() => writeFields(baseVersion));
    saving.current = next;
    return next;
  };

  const writeFields = async (baseVersion?: number): Promise<ArticleDetail | null> => {
    const snapshot = latest.current;
    const current = savedDetail.current;
    if (!snapshot.title.trim()) {
      setSave({ kind: "failed", message: "Give the article a headline to save it." });
      return null;
    }
    setSave({ kind: "saving" });
    try {
      const saved = current
        ? await api("PUT", "/articles/{id}", {
            params: { id: current.id },
            body: { baseVersion: baseVersion ?? current.version, fields: clean(snapshot) },
          })
        : await api("POST", "/articles", { body: clean(snapshot) });
      savedDetail.current = saved.article;
      setDetail(saved.article);
      setConflict(null);
      // Keystrokes made while saving stay dirty and are saved next time.
      setSave(latest.current === snapshot ? { kind: "saved", at: new Date() } : { kind: "dirty" });
      // The address names the new article, without the router remounting the editor mid-sentence.
      if (!current) history.replaceState(history.state, "", `/admin/articles/${saved.article.id}`);
      return saved.article;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409 && err.code === "VERSION_CONFLICT") {
        setConflict(err.body as Conflict);
        setSave({ kind: "failed", message: "Not saved: someone else changed this article." });
      } else {
        setSave({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
      }
      return null;
    }
  };

  useEffect(() => {
    if (save.kind !== "dirty" || !autosaves || !fields.title.trim()) return;
    const timer = setTimeout(() => persist(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [save, fields, autosaves]);

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (save.kind === "dirty" || save.kind === "saving" || save.kind === "failed") e.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [save]);

  const takeTheirs = () => {
    if (!conflict) return;
    setFields(conflict.current.fields);
    setBodyReplace({ doc: conflict.current.fields.body, at: Date.now() });
    setDetail((d) => (d ? { ...d, version: conflict.current.version } : d));
    setConflict(null);
    setSave({ kind: "clean" });
  };
  const keepMine = async () => {
    if (!conflict) return;
    await persist(conflict.current.version);
  };

  const reloadDetail = async (message: string) => {
    if (!detail) return;
    const { article } = await api("GET", "/articles/{id}", { params: { id: detail.id } });
    setDetail(article);
    setNotice({ tone: "ok", text: message });
  };

  return (
    <div class="editor-screen">
      {/* The headline field is the page's visible title; this names the screen for those who navigate by headings. */}
      <h1 class="sr-only">{detail ? `Editing: ${fields.title || "untitled article"}` : "New article"}</h1>
      <div class="editor-head">
        <a class="back-link" href="/admin/articles">
          ← Articles
        </a>
        <div class="editor-state">
          <StatusBadge status={status} />
          <SaveIndicator state={save} live={live} />
        </div>
        <WorkflowBar
          detail={detail}
          me={me}
          dirty={save.kind !== "clean" && save.kind !== "saved"}
          save={() => persist()}
          onDone={(message, version, newStatus) => {
            setDetail((d) => (d ? { ...d, version, status: newStatus } : d));
            setNotice({ tone: "ok", text: message });
          }}
          onError={(text) => setNotice({ tone: "error", text })}
        />
      </div>
      {notice && (
        <p class={`alert alert-${notice.tone}`} role={notice.tone === "error" ? "alert" : "status"}>
          {notice.text}
          <button type="button" class="link-button" onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </p>
      )}
      {conflict && <ConflictPanel conflict={conflict} onTakeTheirs={takeTheirs} onKeepMine={keepMine} />}
      <div class="editor-grid">
        <div class="editor-main">
          <textarea
            class="title-input"
            name="title"
            rows={1}
            placeholder="Headline"
            aria-label="Headline"
            maxLength={300}
            value={fields.title}
            onInput={(e) => edit({ title: e.currentTarget.value })}
          />
          <textarea
            class="dek-input"
            name="dek"
            rows={2}
            placeholder="Dek: one or two sentences that sell the story"
            aria-label="Dek"
            maxLength={1000}
            value={fields.dek ?? ""}
            onInput={(e) => edit({ dek: e.currentTarget.value })}
          />
          <BodyEditor
            initial={fields.body}
            onChange={(body) => edit({ body })}
            replaceWith={bodyReplace}
            images={images}
          />
          {detail && detail.corrections.length > 0 && (
            <section class="corrections">
              <h2>Corrections and updates</h2>
              <ul>
                {detail.corrections.map((c) => (
                  <li key={c.id}>
                    <strong>{c.kind === "correction" ? "Correction" : "Update"}</strong>, {formatTime(c.createdAt)}:{" "}
                    {c.note}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
        <aside class="editor-side">
          <div class="tabs" role="tablist">
            <button type="button" role="tab" aria-selected={panel === "details"} onClick={() => setPanel("details")}>
              Details
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={panel === "history"}
              disabled={!detail}
              onClick={() => setPanel("history")}
            >
              History
            </button>
          </div>
          {panel === "details" ? (
            <ArticleSidebar
              detail={detail}
              fields={fields}
              edit={edit}
              sections={sections}
              people={people}
              tags={tags}
              me={me}
              images={images}
              onSlugChanged={(article) => {
                setDetail(article);
                setNotice({ tone: "ok", text: `The address is now /${article.slug}; the old one redirects.` });
              }}
              onCorrection={() => reloadDetail("Note added to the end of the article.")}
            />
          ) : (
            detail && (
              <RevisionsPanel
                detail={detail}
                onRestored={(article) => {
                  setDetail(article);
                  setFields(article.fields);
                  setBodyReplace({ doc: article.fields.body, at: Date.now() });
                  setSave({ kind: "saved", at: new Date() });
                  setNotice({ tone: "ok", text: `Restored; saved as version ${article.version}.` });
                }}
                onConflict={(c) => setConflict(c)}
              />
            )
          )}
        </aside>
      </div>
    </div>
  );
}

function SaveIndicator({ state, live }: { state: SaveState; live: boolean }) {
  const text =
    state.kind === "saving"
      ? "Saving…"
      : state.kind === "saved"
        ? `Saved ${state.at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`
        : state.kind === "dirty"
          ? live
            ? "Unsaved changes: update to put them live"
            : "Unsaved changes"
          : state.kind === "failed"
            ? state.message
            : "";
  return (
    <span class={`save-state save-${state.kind}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}

/** The fields as the API takes them: empty optional values left out. */
function clean(fields: ArticleFields): ArticleFields {
  const out: ArticleFields = { ...fields };
  const optional = ["metaTitle", "metaDescription", "socialTitle", "socialDescription", "canonicalUrl"] as const;
  for (const key of [...optional, "sourceName", "sourceUrl"] as const) {
    if (!out[key]?.trim()) delete out[key];
  }
  if (!out.featureImage?.url.trim()) delete out.featureImage;
  return out;
}
