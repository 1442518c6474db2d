import { useEffect, useState } from "preact/hooks";
import { api, type Input } from "../api.js";
import { Dialog } from "../dialog.js";
import { formatMoney, parseMoney } from "../money.js";
import { FieldError, type FormError, formErrorOf, invalidProps, isErrorOf } from "../parts.js";
import type { Offer, OfferDuration, OfferInterval, Plan } from "../types.js";
import { APPLIES_TO_LABELS } from "./offer-terms.js";

type Form = {
  name: string;
  code: string;
  kind: "percent" | "amount";
  percent: string;
  amount: string;
  duration: OfferDuration;
  months: string;
  appliesTo: OfferInterval;
  limit: string;
  ends: string;
  isDefault: boolean;
};
const EMPTY: Form = {
  name: "",
  code: "",
  kind: "percent",
  percent: "",
  amount: "",
  duration: "once",
  months: "3",
  appliesTo: "both",
  limit: "",
  ends: "",
  isDefault: false,
};
const DURATION_LABELS: Record<OfferDuration, string> = {
  once: "The first payment only",
  repeating: "A number of months",
  forever: "As long as they subscribe",
};
/** The server's rule (billing OFFER_CODE_PATTERN), checked here to say it in plain words. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$/;
const WHOLE = /^\d+$/;

type Props = { open: boolean; plan: Plan; onClose: () => void; onCreated: (offer: Offer) => void };
type OfferBody = Input<"POST", "/offers">["body"];

/** Makes an offer. Its discount is fixed once saved (Stripe coupons cannot change): another discount is a new offer. */
export function NewOfferDialog({ open, plan, onClose, onCreated }: Props) {
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setForm(EMPTY);
    setError(null);
  }, [open]);
  const hasYearly = plan.yearlyAmount !== null;
  const edit = (changes: Partial<Form>) => setForm((f) => ({ ...f, ...changes }));
  const fail = (property: string, message: string) => setError({ property, message });

  const submit = async () => {
    if (busy) return;
    const code = form.code.trim();
    if (!CODE.test(code)) {
      fail("code", "Use 2 to 40 letters, digits, - or _, starting with a letter or digit: the code goes in the link.");
      return;
    }
    const body: OfferBody = { name: form.name.trim(), code, duration: form.duration };
    if (form.kind === "percent") {
      const percent = Number(form.percent.trim());
      if (!WHOLE.test(form.percent.trim()) || percent < 1 || percent > 100) {
        fail("percentOff", "Write a whole number from 1 to 100.");
        return;
      }
      body.percentOff = percent;
    } else {
      const amount = parseMoney(form.amount, plan.currency);
      if (amount === undefined || amount < 1) {
        fail("amountOff", "Write the amount as money, like 2 or 1.50.");
        return;
      }
      const prices = [
        ...(form.appliesTo !== "year" ? [plan.monthlyAmount] : []),
        ...(form.appliesTo !== "month" && plan.yearlyAmount !== null ? [plan.yearlyAmount] : []),
      ];
      const lowest = Math.min(...prices);
      if (amount >= lowest) {
        fail(
          "amountOff",
          `Take off less than the price it applies to (${formatMoney(lowest, plan.currency)}). For a free period, use 100 percent off.`,
        );
        return;
      }
      body.amountOff = amount;
    }
    if (form.duration === "repeating") {
      const months = Number(form.months.trim());
      if (!WHOLE.test(form.months.trim()) || months < 1 || months > 36) {
        fail("durationInMonths", "Write a number of months from 1 to 36.");
        return;
      }
      body.durationInMonths = months;
    }
    if (hasYearly) body.appliesTo = form.appliesTo;
    if (form.limit.trim()) {
      const limit = Number(form.limit.trim());
      if (!WHOLE.test(form.limit.trim()) || limit < 1) {
        fail("maxRedemptions", "Write a whole number of places, or leave it empty for no limit.");
        return;
      }
      body.maxRedemptions = limit;
    }
    if (form.ends) {
      // The end of the chosen day where the admin is.
      const end = new Date(`${form.ends}T23:59:59`);
      if (end.getTime() <= Date.now()) {
        fail("expiresAt", "Choose a day in the future, or leave it empty for no end.");
        return;
      }
      body.expiresAt = end.toISOString();
    }
    if (form.isDefault) body.isDefault = true;
    setBusy(true);
    setError(null);
    try {
      const { offer } = await api("POST", "/offers", { body });
      onCreated(offer);
    } catch (err) {
      setError(formErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  const shown = [
    "name",
    "code",
    "percentOff",
    "amountOff",
    "duration",
    "durationInMonths",
    "maxRedemptions",
    "expiresAt",
    ...(hasYearly ? ["appliesTo"] : []),
  ];
  return (
    <Dialog title="New offer" open={open} onClose={onClose} onSubmit={submit} submitLabel="Make offer">
      <label class="field" for="offer-name">
        <span>Name (readers see it on the subscribe page)</span>
        <input
          id="offer-name"
          type="text"
          required
          maxLength={80}
          placeholder="Spring: half price for three months"
          value={form.name}
          onInput={(e) => edit({ name: e.currentTarget.value })}
          {...invalidProps(error, "name")}
        />
        <FieldError error={error} name="name" />
      </label>
      <label class="field" for="offer-code">
        <span>Code (in the link)</span>
        <input
          id="offer-code"
          type="text"
          required
          maxLength={40}
          autoComplete="off"
          spellcheck={false}
          placeholder="SPRING"
          value={form.code}
          onInput={(e) => edit({ code: e.currentTarget.value })}
          {...invalidProps(error, "code")}
        />
        <FieldError error={error} name="code" />
      </label>
      <div class="field-row">
        <label class="field" for="offer-kind">
          <span>Discount</span>
          <select
            id="offer-kind"
            value={form.kind}
            onChange={(e) => edit({ kind: e.currentTarget.value as Form["kind"] })}
          >
            <option value="percent">A percentage</option>
            <option value="amount">An amount</option>
          </select>
        </label>
        {form.kind === "percent" ? (
          <label class="field" for="percentOff">
            <span>Percent off</span>
            <input
              id="percentOff"
              type="text"
              inputMode="numeric"
              autoComplete="off"
              required
              placeholder="50"
              value={form.percent}
              onInput={(e) => edit({ percent: e.currentTarget.value })}
              {...invalidProps(error, "percentOff")}
            />
            <FieldError error={error} name="percentOff" />
          </label>
        ) : (
          <label class="field" for="amountOff">
            <span>
              Amount off <span class="count">{plan.currency}</span>
            </span>
            <input
              id="amountOff"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              required
              placeholder="2.00"
              value={form.amount}
              onInput={(e) => edit({ amount: e.currentTarget.value })}
              {...invalidProps(error, "amountOff")}
            />
            <FieldError error={error} name="amountOff" />
          </label>
        )}
      </div>
      <div class="field-row">
        <label class="field" for="offer-duration">
          <span>For how long</span>
          <select
            id="offer-duration"
            value={form.duration}
            onChange={(e) => edit({ duration: e.currentTarget.value as OfferDuration })}
            {...invalidProps(error, "duration")}
          >
            {(Object.keys(DURATION_LABELS) as OfferDuration[]).map((d) => (
              <option key={d} value={d}>
                {DURATION_LABELS[d]}
              </option>
            ))}
          </select>
          <FieldError error={error} name="duration" />
        </label>
        {form.duration === "repeating" && (
          <label class="field" for="durationInMonths">
            <span>Months</span>
            <input
              id="durationInMonths"
              type="number"
              inputMode="numeric"
              min={1}
              max={36}
              step={1}
              required
              value={form.months}
              onInput={(e) => edit({ months: e.currentTarget.value })}
              {...invalidProps(error, "durationInMonths")}
            />
            <FieldError error={error} name="durationInMonths" />
          </label>
        )}
      </div>
      {hasYearly && (
        <label class="field" for="appliesTo">
          <span>Applies to</span>
          <select
            id="appliesTo"
            value={form.appliesTo}
            onChange={(e) => edit({ appliesTo: e.currentTarget.value as OfferInterval })}
            {...invalidProps(error, "appliesTo")}
          >
            {(Object.keys(APPLIES_TO_LABELS) as OfferInterval[]).map((a) => (
              <option key={a} value={a}>
                {APPLIES_TO_LABELS[a]}
              </option>
            ))}
          </select>
          <FieldError error={error} name="appliesTo" />
        </label>
      )}
      <div class="field-row">
        <label class="field" for="maxRedemptions">
          <span>Places (empty: no limit)</span>
          <input
            id="maxRedemptions"
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={form.limit}
            onInput={(e) => edit({ limit: e.currentTarget.value })}
            {...invalidProps(error, "maxRedemptions")}
          />
          <FieldError error={error} name="maxRedemptions" />
        </label>
        <label class="field" for="expiresAt">
          <span>Ends on (empty: no end)</span>
          <input
            id="expiresAt"
            type="date"
            value={form.ends}
            onInput={(e) => edit({ ends: e.currentTarget.value })}
            {...invalidProps(error, "expiresAt")}
          />
          <FieldError error={error} name="expiresAt" />
        </label>
      </div>
      <p class="hint hint-top">
        Each subscription started with the offer takes a place. After the last day the link stops working; subscribers
        who took the offer keep their discount.
      </p>
      <label class="check">
        <input
          type="checkbox"
          checked={form.isDefault}
          onChange={(e) => edit({ isDefault: e.currentTarget.checked })}
        />
        <span>Make it the default: /subscribe shows it when a link names no other offer</span>
      </label>
      {error && !shown.some((f) => isErrorOf(error, f)) && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
