import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { moneyInput, parseMoney } from "../money.js";
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
import { atLeast, type Plan } from "../types.js";

type Form = { name: string; includes: string; monthly: string; yearly: string; trialDays: string; graceDays: string };
const FIELDS = ["name", "includes", "monthlyAmount", "yearlyAmount", "trialDays", "graceDays"];

const formOf = (plan: Plan): Form => ({
  name: plan.name,
  includes: plan.includes,
  monthly: moneyInput(plan.monthlyAmount, plan.currency),
  yearly: plan.yearlyAmount === null ? "" : moneyInput(plan.yearlyAmount, plan.currency),
  trialDays: String(plan.trialDays),
  graceDays: String(plan.graceDays),
});

/** The one subscription the paper sells: its name, prices, trial and grace period. */
export function PlanScreen() {
  const { staff } = useStaff();
  // The server lets editors read the plan; only admins change it (and only they get the link).
  const canChange = atLeast(staff, "admin");
  const loaded = useLoad(() => api("GET", "/plan"), "plan");
  const [plan, setPlan] = useState<Plan | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!loaded.data) return;
    setPlan(loaded.data);
    setForm(formOf(loaded.data));
  }, [loaded.data]);

  const edit = (changes: Partial<Form>) => {
    setForm((f) => (f ? { ...f, ...changes } : f));
    setSaved(false);
  };

  const save = async () => {
    if (!form || !plan) return;
    const monthlyAmount = parseMoney(form.monthly, plan.currency);
    if (monthlyAmount === undefined) {
      setError({ message: "Write the price as an amount, like 4.99.", property: "monthlyAmount" });
      return;
    }
    const yearlyAmount = form.yearly.trim() ? parseMoney(form.yearly, plan.currency) : null;
    if (yearlyAmount === undefined) {
      setError({ message: "Write the price as an amount, like 49.99, or leave it empty.", property: "yearlyAmount" });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api("PUT", "/plan", {
        body: {
          name: form.name.trim(),
          includes: form.includes.trim(),
          monthlyAmount,
          yearlyAmount,
          trialDays: Number(form.trialDays),
          graceDays: Number(form.graceDays),
        },
      });
      setPlan(next);
      setForm(formOf(next));
      setSaved(true);
    } catch (err) {
      setError(formErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  const money = (key: "monthly" | "yearly", property: string, label: string, required: boolean) => (
    <label class="field" for={property}>
      <span>
        {label} <span class="count">{plan?.currency}</span>
      </span>
      <input
        id={property}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        required={required}
        placeholder={required ? "4.99" : "No yearly price"}
        value={form?.[key]}
        onInput={(e) => edit({ [key]: e.currentTarget.value })}
        {...invalidProps(error, property)}
      />
      <FieldError error={error} name={property} />
    </label>
  );
  const days = (key: "trialDays" | "graceDays", label: string, max: number) => (
    <label class="field" for={key}>
      <span>{label}</span>
      <input
        id={key}
        type="number"
        inputMode="numeric"
        min={0}
        max={max}
        step={1}
        required
        value={form?.[key]}
        onInput={(e) => edit({ [key]: e.currentTarget.value })}
        {...invalidProps(error, key)}
      />
      <FieldError error={error} name={key} />
    </label>
  );

  return (
    <section>
      <PageHeader title="Plan">
        {canChange && (
          <a class="button" href="/admin/offers">
            Offers
          </a>
        )}
      </PageHeader>
      {loaded.error && <ErrorNote>{loaded.error}</ErrorNote>}
      {form && plan && (
        <form
          class="panel settings-form"
          aria-label="Plan"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          {!plan.stripeConnected && (
            <p class="alert alert-info">
              Stripe is not connected, so readers cannot pay yet. Start the server with STRIPE_SECRET_KEY (and
              STRIPE_WEBHOOK_SECRET) set to your Stripe keys to take payments.
            </p>
          )}
          {plan.stripeConnected && (
            <p class="stripe-state">
              <span class="badge badge-subscriber">Stripe connected</span> A changed price gets a new Stripe price at
              the next checkout; current subscribers keep theirs.
            </p>
          )}
          <fieldset class="settings-fields" disabled={!canChange}>
            <label class="field" for="name">
              <span>Name</span>
              <input
                id="name"
                type="text"
                required
                maxLength={80}
                value={form.name}
                onInput={(e) => edit({ name: e.currentTarget.value })}
                {...invalidProps(error, "name")}
              />
              <FieldError error={error} name="name" />
            </label>
            <label class="field" for="includes">
              <span>What it includes</span>
              <textarea
                id="includes"
                rows={3}
                required
                maxLength={500}
                value={form.includes}
                onInput={(e) => edit({ includes: e.currentTarget.value })}
                {...invalidProps(error, "includes")}
              />
              <FieldError error={error} name="includes" />
            </label>
            <div class="field-row">
              {money("monthly", "monthlyAmount", "Monthly price", true)}
              {money("yearly", "yearlyAmount", "Yearly price (optional)", false)}
            </div>
            <div class="field-row">
              {days("trialDays", "Free trial (days)", 365)}
              {days("graceDays", "Grace after a failed payment (days)", 60)}
            </div>
            <p class="hint">A trial of 0 days starts billing at once. During the grace days a reader keeps access.</p>
            {canChange && (
              <p class="hint">
                To sell the plan for less for a while, make an <a href="/admin/offers">offer</a> and share its link.
              </p>
            )}
          </fieldset>
          {error && !FIELDS.some((f) => isErrorOf(error, f)) && <ErrorNote>{error.message}</ErrorNote>}
          {canChange && (
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={busy}>
                Save plan
              </button>
              {saved && (
                <span class="saved" role="status">
                  Saved.
                </span>
              )}
            </div>
          )}
        </form>
      )}
    </section>
  );
}
