import { useState } from "preact/hooks";
import { api } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, PageHeader, useLoad } from "../parts.js";
import { ACCESS_LEVELS, type AccessDefault, type AccessLevel, type Section } from "../types.js";

type Editing = { id: string | null; name: string; description: string; accessDefault: AccessDefault | null };
const ACCESS_TEXT: Record<AccessLevel, string> = { public: "Free", registered: "Registered", paid: "Subscribers" };

/** Sections (the paper's desks, in masthead order) and tags. */
export function SectionsScreen() {
  const sections = useLoad(() => api("GET", "/sections"), "sections");
  const tags = useLoad(() => api("GET", "/tags"), "tags");
  const [editing, setEditing] = useState<Editing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [newTag, setNewTag] = useState("");

  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      sections.reload();
      tags.reload();
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    }
  };

  const saveSection = async () => {
    if (!editing) return;
    const body = { name: editing.name, description: editing.description, accessDefault: editing.accessDefault };
    const done = await attempt(() =>
      editing.id
        ? api("PUT", "/sections/{id}", { params: { id: editing.id }, body })
        : api("POST", "/sections", { body: { ...body, position: (sections.data?.sections.length ?? 0) + 1 } }),
    );
    if (done) setEditing(null);
  };

  /** The order the site lists sections in (the masthead's, unless the settings choose its own). */
  const move = (list: Section[], from: number, to: number) => {
    const reordered = [...list];
    const [moved] = reordered.splice(from, 1);
    reordered.splice(to, 0, moved!);
    return attempt(() => api("PUT", "/sections/order", { body: { sectionIds: reordered.map((s) => s.id) } }));
  };

  const list = sections.data?.sections ?? [];
  return (
    <section>
      <PageHeader title="Sections and tags">
        <button
          type="button"
          class="button button-primary"
          onClick={() => setEditing({ id: null, name: "", description: "", accessDefault: null })}
        >
          New section
        </button>
      </PageHeader>
      {(error || sections.error) && <ErrorNote>{error ?? sections.error}</ErrorNote>}
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Section</th>
            <th scope="col" class="hide-narrow">
              New articles start as
            </th>
            <th scope="col">
              <span class="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {list.map((s, i) => (
            <tr key={s.id}>
              <td>
                <span class="row-buttons">
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${s.name} up`}
                    disabled={i === 0}
                    onClick={() => move(list, i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${s.name} down`}
                    disabled={i === list.length - 1}
                    onClick={() => move(list, i, i + 1)}
                  >
                    ↓
                  </button>
                </span>
              </td>
              <td>
                <strong>{s.name}</strong>
                {s.archivedAt && <span class="badge">Archived</span>}
                <span class="slug">/{s.slug}</span>
              </td>
              <td class="hide-narrow">
                {s.accessDefault
                  ? `${ACCESS_TEXT[s.accessDefault.accessLevel]}${s.accessDefault.isMetered ? ", metered" : ""}`
                  : "The kind's default"}
              </td>
              <td>
                <button
                  type="button"
                  class="button button-small"
                  onClick={() =>
                    setEditing({ id: s.id, name: s.name, description: s.description, accessDefault: s.accessDefault })
                  }
                >
                  Edit
                </button>{" "}
                <button
                  type="button"
                  class="button button-small"
                  onClick={() =>
                    attempt(() =>
                      api("POST", s.archivedAt ? "/sections/{id}/restore" : "/sections/{id}/archive", {
                        params: { id: s.id },
                        body: {},
                      }),
                    )
                  }
                >
                  {s.archivedAt ? "Restore" : "Archive"}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 class="section-title">Tags</h2>
      <form
        class="inline-fields"
        onSubmit={async (e) => {
          e.preventDefault();
          if (await attempt(() => api("POST", "/tags", { body: { name: newTag } }))) setNewTag("");
        }}
      >
        <label class="field field-grow">
          <span class="sr-only">New tag</span>
          <input
            name="new-tag"
            placeholder="New tag"
            maxLength={80}
            required
            value={newTag}
            onInput={(e) => setNewTag(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button">
          Add tag
        </button>
      </form>
      <ul class="chips tag-cloud">
        {tags.data?.tags.map((t) => (
          <li key={t.id} class="chip">
            {t.name}
            <button
              type="button"
              aria-label={`Delete tag ${t.name}`}
              onClick={() => {
                if (window.confirm(`Delete the tag "${t.name}"? Articles keep their text; the tag page goes.`)) {
                  attempt(() => api("DELETE", "/tags/{id}", { params: { id: t.id } }));
                }
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>

      <Dialog
        title={editing?.id ? "Edit section" : "New section"}
        open={editing !== null}
        onClose={() => setEditing(null)}
        onSubmit={saveSection}
      >
        {editing && (
          <>
            <label class="field">
              <span>Name</span>
              <input
                name="section-name"
                required
                maxLength={80}
                value={editing.name}
                onInput={(e) => setEditing({ ...editing, name: e.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>Description</span>
              <textarea
                name="section-description"
                rows={2}
                maxLength={1000}
                value={editing.description}
                onInput={(e) => setEditing({ ...editing, description: e.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span>New articles in this section start as</span>
              <select
                name="section-access"
                value={editing.accessDefault?.accessLevel ?? ""}
                onChange={(e) => {
                  const level = e.currentTarget.value as AccessLevel | "";
                  setEditing({
                    ...editing,
                    accessDefault: level
                      ? { accessLevel: level, isMetered: editing.accessDefault?.isMetered ?? false }
                      : null,
                  });
                }}
              >
                <option value="">The kind's default</option>
                {ACCESS_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {ACCESS_TEXT[l]}
                  </option>
                ))}
              </select>
            </label>
            {editing.accessDefault && editing.accessDefault.accessLevel !== "public" && (
              <label class="check">
                <input
                  type="checkbox"
                  checked={editing.accessDefault.isMetered}
                  onChange={(e) =>
                    setEditing({
                      ...editing,
                      accessDefault: { ...editing.accessDefault!, isMetered: e.currentTarget.checked },
                    })
                  }
                />
                Metered
              </label>
            )}
          </>
        )}
      </Dialog>
    </section>
  );
}
