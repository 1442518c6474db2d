import { useState } from "preact/hooks";
import { api } from "../api.js";
import type { ArticleSummary } from "../types.js";

type Props = { label: string; exclude: string[]; onPick: (article: ArticleSummary) => void };

/** Finds a published article by its headline. */
export function ArticlePicker({ label, exclude, onPick }: Props) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState<ArticleSummary[]>([]);
  const search = async (text: string) => {
    setQ(text);
    if (text.trim().length < 2) return setFound([]);
    const { articles } = await api("GET", "/articles", {
      query: { q: text, status: "published", perPage: 8, sort: "-published" },
    });
    setFound(articles.filter((a) => !exclude.includes(a.id)));
  };
  return (
    <div class="picker">
      <label class="field">
        <span>{label}</span>
        <input
          type="search"
          value={q}
          placeholder="Type part of a headline"
          onInput={(e) => search(e.currentTarget.value)}
        />
      </label>
      {found.length > 0 && (
        <ul class="picker-results">
          {found.map((a) => (
            <li key={a.id}>
              <button
                type="button"
                onClick={() => {
                  onPick(a);
                  setQ("");
                  setFound([]);
                }}
              >
                <strong>{a.title}</strong>
                <span class="row-meta">
                  {a.section.name} · {a.kind}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
