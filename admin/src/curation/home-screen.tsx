import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { ErrorNote, type FormMessage, FormMessageLine, formatTime, PageHeader, useLoad } from "../parts.js";
import type { HomePick } from "../types.js";
import { ArticlePicker } from "./article-picker.js";

/** A story on the front page as the editor arranges it: the server's pick, or an article just chosen. */
type Chosen = Pick<HomePick, "id" | "title">;

/** The front page: the lead story, the top stories in order, and the breaking-news strip. */
export function HomeScreen() {
  const loaded = useLoad(() => api("GET", "/home"), "home");
  const [lead, setLead] = useState<Chosen | null>(null);
  const [top, setTop] = useState<Chosen[]>([]);
  const [dragging, setDragging] = useState<number | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [announce, setAnnounce] = useState("");

  useEffect(() => {
    if (!loaded.data) return;
    setLead(loaded.data.home.lead);
    setTop(loaded.data.home.top);
  }, [loaded.data]);

  const max = loaded.data?.home.maxTopStories ?? 12;
  const move = (from: number, to: number) => {
    if (to < 0 || to >= top.length) return;
    const next = [...top];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    setTop(next);
    setAnnounce(`${moved!.title}: now number ${to + 1} of ${next.length}`);
  };
  const save = async () => {
    setMessage(null);
    try {
      await api("PUT", "/home", { body: { leadId: lead?.id ?? null, topIds: top.map((t) => t.id) } });
      setMessage({ tone: "ok", text: "The front page shows the new order now." });
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section>
      <PageHeader title="Home page">
        <a class="button" href="/" target="_blank" rel="noopener">
          View the front page
        </a>
        <button type="button" class="button button-primary" onClick={save} disabled={!loaded.data}>
          Save the front page
        </button>
      </PageHeader>
      <FormMessageLine message={message} />
      {loaded.error && <ErrorNote>{loaded.error}</ErrorNote>}
      <BreakingPanel />
      <div class="home-grid">
        <div class="panel">
          <h2>Lead story</h2>
          {lead ? (
            <div class="lead-pick">
              <strong>{lead.title}</strong>
              <button type="button" class="button button-small" onClick={() => setLead(null)}>
                Remove
              </button>
            </div>
          ) : (
            <p class="muted">None chosen: the newest article leads.</p>
          )}
          <ArticlePicker
            label="Choose the lead"
            exclude={lead ? [lead.id] : []}
            onPick={(a) => setLead({ id: a.id, title: a.title })}
          />
        </div>
        <div class="panel">
          <h2>
            Top stories{" "}
            <span class="count">
              {top.length}/{max}
            </span>
          </h2>
          <p class="hint">Drag to reorder, or focus a story and use the arrow buttons. The rest follow by time.</p>
          <ol class="top-list">
            {top.map((pick, i) => (
              <li
                key={pick.id}
                draggable
                class={dragging === i ? "dragging" : undefined}
                onDragStart={(e) => {
                  setDragging(i);
                  e.dataTransfer?.setData("text/plain", pick.id);
                }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragging !== null) move(dragging, i);
                  setDragging(null);
                }}
                onDragEnd={() => setDragging(null)}
              >
                <span class="grip" aria-hidden="true">
                  ⋮⋮
                </span>
                <span class="top-title">
                  <span class="top-rank">{i + 1}</span> {pick.title}
                </span>
                <span class="row-buttons">
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${pick.title} up`}
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${pick.title} down`}
                    disabled={i === top.length - 1}
                    onClick={() => move(i, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Remove ${pick.title}`}
                    onClick={() => setTop(top.filter((t) => t.id !== pick.id))}
                  >
                    ×
                  </button>
                </span>
              </li>
            ))}
          </ol>
          <p class="sr-only" aria-live="polite">
            {announce}
          </p>
          {top.length < max && (
            <ArticlePicker
              label="Add a top story"
              exclude={[...top.map((t) => t.id), ...(lead ? [lead.id] : [])]}
              onPick={(a) => setTop([...top, { id: a.id, title: a.title }])}
            />
          )}
        </div>
      </div>
    </section>
  );
}

function BreakingPanel() {
  const current = useLoad(() => api("GET", "/breaking"), "breaking");
  const [text, setText] = useState("");
  const [url, setUrl] = useState("");
  const [hours, setHours] = useState("3");
  const [error, setError] = useState<string | null>(null);
  const live = current.data?.breaking?.isLive ? current.data.breaking : null;

  const run = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      current.reload();
      setText("");
      setUrl("");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div class={`panel breaking-panel${live ? " is-live" : ""}`}>
      <h2>Breaking news strip</h2>
      {live ? (
        <div class="breaking-live">
          <p>
            <span class="badge badge-breaking">Live</span> <strong>{live.text}</strong>
            {live.url && <span class="slug">→ {live.url}</span>}
            <span class="slug">Until {formatTime(live.expiresAt)}</span>
          </p>
          <button type="button" class="button button-danger" onClick={() => run(() => api("DELETE", "/breaking"))}>
            Take it down
          </button>
        </div>
      ) : (
        <p class="muted">No strip on the site.</p>
      )}
      <form
        class="inline-fields"
        onSubmit={(e) => {
          e.preventDefault();
          const expiresAt = new Date(Date.now() + Number(hours) * 3_600_000).toISOString();
          run(() => api("PUT", "/breaking", { body: { text, url: url.trim() || null, expiresAt } }));
        }}
      >
        <label class="field field-grow">
          <span>{live ? "Replace with" : "Text"}</span>
          <input
            name="breaking-text"
            required
            maxLength={200}
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>Link (optional)</span>
          <input
            name="breaking-url"
            placeholder="/politics/… or https://…"
            value={url}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <label class="field">
          <span>For</span>
          <select name="breaking-hours" value={hours} onChange={(e) => setHours(e.currentTarget.value)}>
            <option value="1">1 hour</option>
            <option value="3">3 hours</option>
            <option value="6">6 hours</option>
            <option value="12">12 hours</option>
            <option value="24">1 day</option>
            <option value="72">3 days</option>
          </select>
        </label>
        <button type="submit" class="button button-primary">
          {live ? "Replace" : "Put it up"}
        </button>
      </form>
      {error && <p class="field-error">{error}</p>}
    </div>
  );
}
