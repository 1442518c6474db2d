import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import {
  ErrorNote,
  FieldError,
  type FormError,
  formErrorOf,
  invalidProps,
  isErrorOf,
  PageHeader,
  useLoad,
} from "../parts.js";
import { useStaff } from "../session.js";
import {
  ACCESS_LEVELS,
  type AccessLevel,
  atLeast,
  KINDS,
  MAX_ALLOWANCE,
  type PaywallSettings,
  type PaywallTexts,
} from "../types.js";
import { PaywallReport } from "./paywall-report.js";

const FIELDS = ["anonymousAllowance", "registeredAllowance", "previewParagraphs", "kindAccessDefaults", "paywallTexts"];
const TEXTS: { key: keyof PaywallTexts; label: string; hint: string }[] = [
  { key: "register", label: "Asking to register", hint: "On articles for registered readers." },
  { key: "subscribe", label: "Asking to subscribe", hint: "On articles for subscribers." },
  { key: "exhausted", label: "Free articles used up", hint: "When the meter has run out." },
];
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

/** The meter, the preview, where each kind of article starts, and the wall's words; editors read, admins change. */
export function PaywallScreen() {
  const { staff } = useStaff();
  const canChange = atLeast(staff, "admin");
  const loaded = useLoad(() => api("GET", "/paywall"), "paywall");
  const [form, setForm] = useState<PaywallSettings | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (loaded.data) setForm(loaded.data);
  }, [loaded.data]);

  const edit = (changes: Partial<PaywallSettings>) => {
    setForm((f) => (f ? { ...f, ...changes } : f));
    setSaved(false);
  };
  const save = async () => {
    if (!form) return;
    setBusy(true);
    setError(null);
    try {
      // An empty text means the built-in one, which the server knows by the key being absent.
      const paywallTexts = Object.fromEntries(
        Object.entries(form.paywallTexts).flatMap(([k, v]) => (v?.trim() ? [[k, v.trim()]] : [])),
      );
      setForm(await api("PUT", "/paywall", { body: { ...form, paywallTexts } }));
      setSaved(true);
    } catch (err) {
      setError(formErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  const number = (
    name: "anonymousAllowance" | "registeredAllowance" | "previewParagraphs",
    min: number,
    max: number,
  ) => (
    <>
      <input
        id={name}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        step={1}
        required
        value={form?.[name]}
        onInput={(e) => edit({ [name]: e.currentTarget.valueAsNumber })}
        {...invalidProps(error, name)}
      />
      <FieldError error={error} name={name} />
    </>
  );

  return (
    <section>
      <PageHeader title="Paywall" />
      {loaded.error && <ErrorNote>{loaded.error}</ErrorNote>}
      <div class="settings-layout">
        {form && (
          <form
            class="panel settings-form"
            aria-label="Paywall settings"
            onSubmit={(e) => {
              e.preventDefault();
              save();
            }}
          >
            {!canChange && <p class="alert alert-info">You can read these settings; an admin can change them.</p>}
            <fieldset class="settings-fields" disabled={!canChange}>
              <fieldset class="fieldset">
                <legend>Free articles each month</legend>
                <div class="field-row">
                  <label class="field" for="anonymousAllowance">
                    <span>Anonymous readers</span>
                    {number("anonymousAllowance", 0, MAX_ALLOWANCE)}
                  </label>
                  <label class="field" for="registeredAllowance">
                    <span>Registered readers</span>
                    {number("registeredAllowance", 0, MAX_ALLOWANCE)}
                  </label>
                </div>
                <p class="hint">
                  0 is a hard paywall: metered articles show only their preview. At most {MAX_ALLOWANCE}.
                </p>
              </fieldset>
              <fieldset class="fieldset">
                <legend>Preview</legend>
                <label class="field field-narrow" for="previewParagraphs">
                  <span>Paragraphs shown above the wall</span>
                  {number("previewParagraphs", 1, 20)}
                </label>
                <p class="hint">
                  For every article without its own "Preview ends" divider, those already published included: saving
                  splits them again.
                </p>
              </fieldset>
              <fieldset class="fieldset">
                <legend>New articles by kind</legend>
                <p class="hint hint-top">
                  Where a new article's access starts (no rule: public); the section's rule wins when it is stricter.
                </p>
                <div class="kind-defaults">
                  {KINDS.map((kind) => {
                    const rule = form.kindAccessDefaults[kind];
                    const setRule = (level: AccessLevel | "", isMetered = rule?.isMetered ?? false) => {
                      const next = { ...form.kindAccessDefaults };
                      if (level) next[kind] = { accessLevel: level, isMetered };
                      else delete next[kind];
                      edit({ kindAccessDefaults: next });
                    };
                    return (
                      <div key={kind} class="kind-default">
                        <label class="field" for={`kind-${kind}`}>
                          <span>{capital(kind)}</span>
                          <select
                            id={`kind-${kind}`}
                            value={rule?.accessLevel ?? ""}
                            onChange={(e) => setRule(e.currentTarget.value as AccessLevel | "")}
                          >
                            <option value="">No rule</option>
                            {ACCESS_LEVELS.map((l) => (
                              <option key={l} value={l}>
                                {capital(l)}
                              </option>
                            ))}
                          </select>
                        </label>
                        <label class="check">
                          <input
                            type="checkbox"
                            checked={rule?.isMetered ?? false}
                            disabled={!rule || rule.accessLevel === "public"}
                            onChange={(e) => rule && setRule(rule.accessLevel, e.currentTarget.checked)}
                          />
                          Metered
                        </label>
                      </div>
                    );
                  })}
                </div>
                <FieldError error={error} name="kindAccessDefaults" />
              </fieldset>
              <fieldset class="fieldset">
                <legend>What the wall says</legend>
                <p class="hint hint-top">Leave a text empty to use the built-in one.</p>
                {TEXTS.map(({ key, label, hint }) => {
                  const name = `paywallTexts.${key}`;
                  return (
                    <label key={key} class="field" for={`text-${key}`}>
                      <span>{label}</span>
                      <textarea
                        id={`text-${key}`}
                        rows={2}
                        maxLength={500}
                        placeholder="The built-in text"
                        value={form.paywallTexts[key] ?? ""}
                        onInput={(e) => edit({ paywallTexts: { ...form.paywallTexts, [key]: e.currentTarget.value } })}
                        {...invalidProps(error, name)}
                      />
                      <span class="hint">{hint}</span>
                      <FieldError error={error} name={name} />
                    </label>
                  );
                })}
              </fieldset>
            </fieldset>
            {error && !FIELDS.some((f) => isErrorOf(error, f)) && <ErrorNote>{error.message}</ErrorNote>}
            {canChange && (
              <div class="form-actions">
                <button type="submit" class="button button-primary" disabled={busy}>
                  Save paywall
                </button>
                {saved && (
                  <span class="saved" role="status">
                    Saved. Readers see it on their next page.
                  </span>
                )}
                {error && FIELDS.some((f) => isErrorOf(error, f)) && (
                  <span class="field-error" role="alert">
                    Not saved: see the field marked above.
                  </span>
                )}
              </div>
            )}
          </form>
        )}
        <PaywallReport />
      </div>
    </section>
  );
}
