import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, formatDate } from "../parts.js";

type Reader = { id: string; email: string };
type Props = {
  reader: Reader | null;
  /** When the period already paid for ends, if known. */
  periodEnd: string | null;
  onClose: () => void;
  onCancelled: (message: string) => void;
};

/** Ends a reader's subscription at Stripe: when the paid period runs out, or now. */
export function CancelSubscriptionDialog({ reader, periodEnd, onClose, onCancelled }: Props) {
  const [atPeriodEnd, setAtPeriodEnd] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setAtPeriodEnd(true);
    setError(null);
  }, [reader?.id]);
  const end = periodEnd ? formatDate(periodEnd) : null;

  const submit = async () => {
    if (!reader || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api("POST", "/members/{id}/cancel", { params: { id: reader.id }, body: { atPeriodEnd } });
      onCancelled(
        atPeriodEnd
          ? `${reader.email}'s subscription stops renewing${end ? `: it ends on ${end}` : ""}.`
          : `${reader.email}'s subscription has ended at Stripe.`,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Cancel subscription"
      open={reader !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Cancel subscription"
      closeLabel="Keep it"
    >
      <fieldset class="choices">
        <legend>When should {reader?.email}'s subscription end?</legend>
        <label class="check">
          <input type="radio" name="cancel-when" checked={atPeriodEnd} onChange={() => setAtPeriodEnd(true)} />
          <span>
            At the end of the paid period{end ? ` (${end})` : ""}
            <span class="hint">It stops renewing and can still be resumed until then.</span>
          </span>
        </label>
        <label class="check">
          <input type="radio" name="cancel-when" checked={!atPeriodEnd} onChange={() => setAtPeriodEnd(false)} />
          <span>
            Now
            <span class="hint">It ends at Stripe today and is never charged again.</span>
          </span>
        </label>
      </fieldset>
      <p class="hint">Either way the reader keeps reading for the time already paid for.</p>
      {error && <ErrorNote>{error}</ErrorNote>}
    </Dialog>
  );
}
