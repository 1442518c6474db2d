import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { Dialog } from "../dialog.js";
import { ErrorNote, FieldError, type FormError, formErrorOf, invalidProps } from "../parts.js";

type Reader = { id: string; email: string };
type Props = { reader: Reader | null; onClose: () => void; onDeleted: (message: string) => void };

/** Deletes a reader's account for good, once the admin has typed their email; Stripe is cancelled first. */
export function DeleteReaderDialog({ reader, onClose, onDeleted }: Props) {
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setTyped("");
    setError(null);
  }, [reader?.id]);

  const submit = async () => {
    if (!reader || busy) return;
    if (typed.trim().toLowerCase() !== reader.email.toLowerCase()) {
      setError({ message: `Type ${reader.email} exactly to delete this reader.`, property: "confirm" });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api("DELETE", "/members/{id}", { params: { id: reader.id } });
      onDeleted(`${reader.email} was deleted. Any subscription they had was cancelled at Stripe first.`);
    } catch (err) {
      setError(formErrorOf(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title="Delete reader"
      open={reader !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Delete reader"
    >
      <p class="hint-top">
        This deletes {reader?.email}'s account for good. A subscription they pay for is cancelled at Stripe first, so
        they are never charged again. It cannot be undone.
      </p>
      <label class="field" for="delete-confirm">
        <span>Type their email address to confirm</span>
        <input
          id="delete-confirm"
          type="email"
          autoComplete="off"
          spellcheck={false}
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
          {...invalidProps(error, "confirm")}
        />
        <FieldError error={error} name="confirm" />
      </label>
      {error && error.property !== "confirm" && <ErrorNote>{error.message}</ErrorNote>}
    </Dialog>
  );
}
