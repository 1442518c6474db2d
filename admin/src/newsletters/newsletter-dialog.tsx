import { useEffect, useState } from "preact/hooks";
import { api, type Input } from "../api.js";
import { Dialog } from "../dialog.js";
import { FieldError, type FormError, formErrorOf, invalidProps, isErrorOf } from "../parts.js";
import type { Newsletter, Section } from "../types.js";

type Cadence = Newsletter["cadence"];
type Visibility = Newsletter["visibility"];
type NewsletterBody = Input<"POST", "/newsletters">["body"];

type Form = {
  name: string;
  slug: string;
  description: string;
  senderName: string;
  senderEmail: string;
  replyTo: string;
  visibility: Visibility;
  isDefault: boolean;
  cadence: Cadence;
  sendHour: string;
  sendWeekday: string;
  sectionIds: string[];
  sortOrder: string;
};
const EMPTY: Form = {
  name: "",
  slug: "",
  description: "",
  senderName: "",
  senderEmail: "",
  replyTo: "",
  visibility: "free",
  isDefault: false,
  cadence: "per-article",
  sendHour: "7",
  sendWeekday: "1",
  sectionIds: [],
  sortOrder: "0",
};
export const CADENCE_LABELS: Record<Cadence, string> = {
  "per-article": "Per article: an editor sends it",
  daily: "Daily digest",
  weekly: "Weekly",
  manual: "Manual",
};
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const FIELDS = ["name", "slug", "description", "senderName", "senderEmail", "replyTo", "sendHour", "sendWeekday"];

function formOf(n: Newsletter): Form {
  return {
    name: n.name,
    slug: n.slug,
    description: n.description,
    senderName: n.senderName ?? "",
    senderEmail: n.senderEmail ?? "",
    replyTo: n.replyTo ?? "",
    visibility: n.visibility,
    isDefault: n.isDefault,
    cadence: n.cadence,
    sendHour: String(n.sendHour ?? 7),
    sendWeekday: String(n.sendWeekday ?? 1),
    sectionIds: n.sectionIds,
    sortOrder: String(n.sortOrder),
  };
}

/** The body the server takes: empty sender fields are null (the paper's own), an hour only where the cadence has one. */
function bodyOf(form: Form): NewsletterBody {
  const orNull = (v: string) => (v.trim() === "" ? null : v.trim());
  const timed = form.cadence === "daily" || form.cadence === "weekly";
  const slug = form.slug.trim();
  return {
    name: form.name.trim(),
    // Empty when making one: the server makes it from the name.
    ...(slug === "" ? {} : { slug }),
    description: form.description.trim(),
    senderName: orNull(form.senderName),
    senderEmail: orNull(form.senderEmail),
    replyTo: orNull(form.replyTo),
    visibility: form.visibility,
    isDefault: form.isDefault,
    cadence: form.cadence,
    sendHour: timed ? Number(form.sendHour) : null,
    sendWeekday: form.cadence === "weekly" ? Number(form.sendWeekday) : null,
    sectionIds: timed ? form.sectionIds : [],
    sortOrder: Number(form.sortOrder) || 0,
  };
}

type Props = {
  /** null: closed; "new": making one; a newsletter: changing it. */
  editing: Newsletter | "new" | null;
  onClose: () => void;
  onSaved: (newsletter: Newsletter, made: boolean) => void;
  /** The paper's sections, for a digest to draw from. */
  sections: Section[];
};

/** The sections a digest draws from, as checkboxes; none ticked: every section. Archived ones only if chosen. */
function SectionsField(props: { sections: Section[]; chosen: string[]; onChange: (ids: string[]) => void }) {
  const shown = props.sections.filter((s) => s.archivedAt === null || props.chosen.includes(s.id));
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.chosen, id] : props.chosen.filter((c) => c !== id));
  return (
    <fieldset class="fieldset">
      <legend>Sections the digest draws from</legend>
      {shown.map((section) => (
        <label class="check" key={section.id}>
          <input
            type="checkbox"
            name="sectionIds"
            value={section.id}
            checked={props.chosen.includes(section.id)}
            onChange={(e) => toggle(section.id, e.currentTarget.checked)}
          />
          {section.name}
          {section.archivedAt !== null && " (archived)"}
        </label>
      ))}
      <p class="hint">None ticked: every section.</p>
    </fieldset>
  );
}

/** Makes or changes a newsletter, every field; the server's refusals are shown under the field they name. */
export function NewsletterDialog({ editing, onClose, onSaved, sections }: Props) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const existing = editing !== null && editing !== "new" ? editing : null;
  useEffect(() => {
    setForm(existing ? formOf(existing) : EMPTY);
    setError(null);
  }, [editing]);
  const edit = (changes: Partial<Form>) => setForm((f) => ({ ...f, ...changes }));

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const body = bodyOf(form);
      const saved = existing
        ? await api("PATCH", "/newsletters/{id}", { params: { id: existing.id }, body })
        : await api("POST", "/newsletters", { body });
      onSaved(saved.newsletter, !existing);
    } catch (err) {
      setError(formErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  const text = (name: keyof Form & string, label: string, props: Record<string, unknown> = {}) => (
    <label class="field" for={`newsletter-${name}`}>
      <span>{label}</span>
      <input
        id={`newsletter-${name}`}
        type="text"
        value={form[name] as string}
        onInput={(e) => edit({ [name]: e.currentTarget.value })}
        {...props}
        {...invalidProps(error, name)}
      />
      <FieldError error={error} name={name} />
    </label>
  );

  return (
    <Dialog
      title={existing ? `Edit ${existing.name}` : "New newsletter"}
      open={editing !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel={existing ? "Save" : "Make newsletter"}
      wide
    >
      {text("name", "Name", { required: true, maxLength: 80 })}
      {text("slug", "Slug (its page: /newsletters/SLUG)", { maxLength: 120 })}
      <label class="field" for="newsletter-description">
        <span>Description</span>
        <textarea
          id="newsletter-description"
          rows={2}
          maxLength={500}
          value={form.description}
          onInput={(e) => edit({ description: e.currentTarget.value })}
          {...invalidProps(error, "description")}
        />
        <FieldError error={error} name="description" />
      </label>
      <div class="field-row">
        {text("senderName", "Sender name (empty: the paper's title)")}
        {text("senderEmail", "Sender address (empty: the site's)", { type: "email" })}
      </div>
      {text("replyTo", "Reply-to (optional)", { type: "email" })}
      <div class="field-row">
        <label class="field" for="newsletter-visibility">
          <span>Who may choose it</span>
          <select
            id="newsletter-visibility"
            value={form.visibility}
            onChange={(e) => edit({ visibility: e.currentTarget.value as Visibility })}
          >
            <option value="free">Every reader</option>
            <option value="paid">Subscribers only</option>
          </select>
        </label>
        <label class="field" for="newsletter-cadence">
          <span>Cadence</span>
          <select
            id="newsletter-cadence"
            value={form.cadence}
            onChange={(e) => edit({ cadence: e.currentTarget.value as Cadence })}
          >
            {(Object.keys(CADENCE_LABELS) as Cadence[]).map((c) => (
              <option key={c} value={c}>
                {CADENCE_LABELS[c]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(form.cadence === "daily" || form.cadence === "weekly") && (
        <div class="field-row">
          <label class="field" for="newsletter-sendHour">
            <span>Hour (site time zone)</span>
            <input
              id="newsletter-sendHour"
              type="number"
              min={0}
              max={23}
              value={form.sendHour}
              onInput={(e) => edit({ sendHour: e.currentTarget.value })}
              {...invalidProps(error, "sendHour")}
            />
            <FieldError error={error} name="sendHour" />
          </label>
          {form.cadence === "weekly" && (
            <label class="field" for="newsletter-sendWeekday">
              <span>Day</span>
              <select
                id="newsletter-sendWeekday"
                value={form.sendWeekday}
                onChange={(e) => edit({ sendWeekday: e.currentTarget.value })}
                {...invalidProps(error, "sendWeekday")}
              >
                {WEEKDAYS.map((d, i) => (
                  <option key={d} value={String(i)}>
                    {d}
                  </option>
                ))}
              </select>
              <FieldError error={error} name="sendWeekday" />
            </label>
          )}
        </div>
      )}
      {(form.cadence === "daily" || form.cadence === "weekly") && (
        <SectionsField sections={sections} chosen={form.sectionIds} onChange={(sectionIds) => edit({ sectionIds })} />
      )}
      <FieldError error={error} name="sectionIds" />
      {text("sortOrder", "Order in readers' lists", { type: "number", min: 0, max: 10000 })}
      <label class="check">
        <input
          type="checkbox"
          checked={form.isDefault}
          onChange={(e) => edit({ isDefault: e.currentTarget.checked })}
        />
        <span>Chosen for every reader who registers</span>
      </label>
      {error && ![...FIELDS, "sortOrder", "sectionIds"].some((f) => isErrorOf(error, f)) && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
