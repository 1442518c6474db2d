import { useEffect, useState } from "preact/hooks";
import { ApiError, api, type Reply } from "../api.js";
import { ErrorNote, type FormMessage, FormMessageLine, PageHeader, useLoad } from "../parts.js";

type Settings = Reply<"GET", "/settings">;

const ZONES = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
const CURRENCIES = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("currency") : [];

/** The paper itself: name, look, language and time, social accounts, masthead and footer. */
export function SettingsScreen() {
  const loaded = useLoad(() => api("GET", "/settings"), "settings");
  const sections = useLoad(() => api("GET", "/sections"), "sections");
  const [form, setForm] = useState<Settings | null>(null);
  const [message, setMessage] = useState<(FormMessage & { property?: string | null }) | null>(null);
  useEffect(() => setForm(loaded.data ?? null), [loaded.data]);

  if (loaded.error) return <ErrorNote>{loaded.error}</ErrorNote>;
  if (!form) return <p class="loading">Loading the settings…</p>;

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setForm({ ...form, [key]: value });
  const setSocial = (key: keyof Settings["social"], value: string) =>
    setForm({ ...form, social: { ...form.social, [key]: value.trim() ? value.trim() : null } });
  const errorFor = (property: string) =>
    message?.tone === "error" && message.property?.replace(/^\//, "").replace(/\//g, ".").startsWith(property) ? (
      <p class="field-error">{message.text}</p>
    ) : null;

  const save = async (e: Event) => {
    e.preventDefault();
    setMessage(null);
    try {
      const saved = await api("PUT", "/settings", { body: { ...form, logoUrl: form.logoUrl?.trim() || null } });
      setForm(saved);
      setMessage({ tone: "ok", text: "Saved. Every page of the site shows the change now." });
    } catch (err) {
      setMessage({
        tone: "error",
        text: err instanceof Error ? err.message : String(err),
        property: err instanceof ApiError ? err.property : null,
      });
    }
  };

  const active = (sections.data?.sections ?? []).filter((s) => !s.archivedAt);
  const inNav = form.navigation.length ? form.navigation : active.map((s) => s.id);
  const moveNav = (from: number, to: number) => {
    const next = [...inNav];
    const [moved] = next.splice(from, 1);
    next.splice(to, 0, moved!);
    set("navigation", next);
  };
  const nameOf = (id: string) => active.find((s) => s.id === id)?.name ?? "Archived section";

  return (
    <form class="settings" onSubmit={save}>
      <PageHeader title="Settings">
        <button type="submit" class="button button-primary">
          Save settings
        </button>
      </PageHeader>
      <FormMessageLine message={message} />
      <div class="settings-grid">
        <fieldset class="panel">
          <legend>The paper</legend>
          <label class="field">
            <span>Name</span>
            <input
              name="title"
              required
              maxLength={120}
              value={form.title}
              onInput={(e) => set("title", e.currentTarget.value)}
            />
          </label>
          {errorFor("title")}
          <label class="field">
            <span>Description (search engines and feeds)</span>
            <textarea
              name="description"
              rows={2}
              maxLength={300}
              value={form.description}
              onInput={(e) => set("description", e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>Logo address</span>
            <input
              name="logoUrl"
              placeholder="/media/… or https://…"
              value={form.logoUrl ?? ""}
              onInput={(e) => set("logoUrl", e.currentTarget.value)}
            />
          </label>
          {errorFor("logoUrl")}
          <label class="field">
            <span>Accent colour</span>
            <span class="color-field">
              <input
                type="color"
                aria-label="Pick the accent colour"
                value={form.accentColor}
                onInput={(e) => set("accentColor", e.currentTarget.value)}
              />
              <input
                name="accentColor"
                pattern="#[0-9a-fA-F]{6}"
                value={form.accentColor}
                onInput={(e) => set("accentColor", e.currentTarget.value)}
              />
            </span>
          </label>
          {errorFor("accentColor")}
        </fieldset>
        <fieldset class="panel">
          <legend>Language and time</legend>
          <label class="field">
            <span>Language (en, de, fr, pt-BR…)</span>
            <input
              name="language"
              required
              value={form.language}
              onInput={(e) => set("language", e.currentTarget.value)}
            />
          </label>
          {errorFor("language")}
          <label class="field">
            <span>Time zone (dates, the meter's month, the news sitemap)</span>
            <input
              name="timeZone"
              list="time-zones"
              required
              value={form.timeZone}
              onInput={(e) => set("timeZone", e.currentTarget.value)}
            />
          </label>
          <datalist id="time-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {errorFor("timeZone")}
          <label class="field">
            <span>Currency</span>
            <input
              name="currency"
              list="currencies"
              required
              maxLength={3}
              value={form.currency}
              onInput={(e) => set("currency", e.currentTarget.value.toUpperCase())}
            />
          </label>
          <datalist id="currencies">
            {CURRENCIES.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
          {errorFor("currency")}
        </fieldset>
        <fieldset class="panel">
          <legend>Social accounts</legend>
          {(
            [
              ["xHandle", "X handle", "@paper"],
              ["facebookPage", "Facebook page", "https://www.facebook.com/paper"],
              ["instagramHandle", "Instagram handle", "paper"],
              ["mastodonHandle", "Mastodon", "@paper@mastodon.social"],
            ] as const
          ).map(([key, label, placeholder]) => (
            <div key={key}>
              <label class="field">
                <span>{label}</span>
                <input
                  name={key}
                  placeholder={placeholder}
                  value={form.social[key] ?? ""}
                  onInput={(e) => setSocial(key, e.currentTarget.value)}
                />
              </label>
              {errorFor(`social.${key}`)}
            </div>
          ))}
        </fieldset>
        <fieldset class="panel">
          <legend>Masthead sections</legend>
          <p class="hint">The sections in the site's navigation, in this order.</p>
          <ol class="ordered-list">
            {inNav.map((id, i) => (
              <li key={id}>
                <span>{nameOf(id)}</span>
                <span class="row-buttons">
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${nameOf(id)} up`}
                    disabled={i === 0}
                    onClick={() => moveNav(i, i - 1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Move ${nameOf(id)} down`}
                    disabled={i === inNav.length - 1}
                    onClick={() => moveNav(i, i + 1)}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    class="tool"
                    aria-label={`Leave ${nameOf(id)} out of the masthead`}
                    disabled={inNav.length === 1}
                    onClick={() =>
                      set(
                        "navigation",
                        inNav.filter((x) => x !== id),
                      )
                    }
                  >
                    ×
                  </button>
                </span>
              </li>
            ))}
          </ol>
          {active.some((s) => !inNav.includes(s.id)) && (
            <select
              aria-label="Add a section to the masthead"
              value=""
              onChange={(e) => e.currentTarget.value && set("navigation", [...inNav, e.currentTarget.value])}
            >
              <option value="">Add a section…</option>
              {active
                .filter((s) => !inNav.includes(s.id))
                .map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
            </select>
          )}
          {errorFor("navigation")}
        </fieldset>
        <fieldset class="panel">
          <legend>Footer links</legend>
          {form.footerLinks.map((link, i) => (
            <div class="inline-fields footer-link" key={i}>
              <label class="field">
                <span>Label</span>
                <input
                  value={link.label}
                  maxLength={60}
                  onInput={(e) =>
                    set(
                      "footerLinks",
                      form.footerLinks.map((l, j) => (j === i ? { ...l, label: e.currentTarget.value } : l)),
                    )
                  }
                />
              </label>
              <label class="field field-grow">
                <span>Address</span>
                <input
                  value={link.url}
                  onInput={(e) =>
                    set(
                      "footerLinks",
                      form.footerLinks.map((l, j) => (j === i ? { ...l, url: e.currentTarget.value } : l)),
                    )
                  }
                />
              </label>
              <button
                type="button"
                class="tool"
                aria-label={`Remove the footer link ${link.label}`}
                onClick={() =>
                  set(
                    "footerLinks",
                    form.footerLinks.filter((_, j) => j !== i),
                  )
                }
              >
                ×
              </button>
            </div>
          ))}
          {errorFor("footerLinks")}
          <button
            type="button"
            class="button button-small"
            onClick={() => set("footerLinks", [...form.footerLinks, { label: "", url: "" }])}
          >
            Add a link
          </button>
        </fieldset>
      </div>
    </form>
  );
}
