import { useState } from "preact/hooks";
import { ApiError, api, type Reply } from "../api.js";
import { ErrorNote, formatTime, useLoad } from "../parts.js";
import type { ArticleDetail, Conflict } from "../types.js";
import { FieldDiff } from "./field-diff.js";

type Props = { detail: ArticleDetail; onRestored: (article: ArticleDetail) => void; onConflict: (c: Conflict) => void };
type Compared = Reply<"GET", "/articles/{id}/revisions/compare">;

/** Every saved version: compare any with the current one, restore one as a new version. */
export function RevisionsPanel({ detail, onRestored, onConflict }: Props) {
  const list = useLoad(
    () => api("GET", "/articles/{id}/revisions", { params: { id: detail.id } }),
    `${detail.id}:${detail.version}`,
  );
  const [compared, setCompared] = useState<Compared | null>(null);
  // Workflow steps move the version on without a new revision: the newest revision is what the text is now.
  const newest = Math.max(0, ...(list.data?.revisions.map((r) => r.version) ?? []));
  const [error, setError] = useState<string | null>(null);

  const compare = async (version: number) => {
    setError(null);
    try {
      setCompared(
        await api("GET", "/articles/{id}/revisions/compare", {
          params: { id: detail.id },
          query: { from: version, to: newest },
        }),
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const restore = async (version: number) => {
    setError(null);
    try {
      const { article } = await api("POST", "/articles/{id}/revisions/{version}/restore", {
        params: { id: detail.id, version },
        body: { baseVersion: detail.version },
      });
      setCompared(null);
      onRestored(article);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) onConflict(err.body as Conflict);
      else setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div class="revisions">
      {(error || list.error) && <ErrorNote>{error ?? list.error}</ErrorNote>}
      <ol class="revision-list" reversed>
        {list.data?.revisions.map((r) => (
          <li key={r.version}>
            <div>
              <strong>Version {r.version}</strong>
              {r.version === newest && <span class="badge">current</span>}
              <span class="row-meta">
                {formatTime(r.createdAt)}
                {r.savedBy ? ` · ${r.savedBy}` : ""}
              </span>
            </div>
            {r.version !== newest && (
              <div class="revision-actions">
                <button type="button" class="button button-small" onClick={() => compare(r.version)}>
                  Compare
                </button>
                <button type="button" class="button button-small" onClick={() => restore(r.version)}>
                  Restore
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
      {compared && (
        <section class="revision-compare" aria-label="Comparison">
          <h3>
            Version {compared.from.version} → current ({compared.to.version})
          </h3>
          <FieldDiff
            left={{ label: `Version ${compared.from.version}`, fields: compared.from.fields }}
            right={{ label: "Current", fields: compared.to.fields }}
            keys={compared.changed}
          />
        </section>
      )}
    </div>
  );
}
