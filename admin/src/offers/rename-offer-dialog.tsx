import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { Dialog } from "../dialog.js";
import { FieldError, type FormError, formErrorOf, invalidProps, isErrorOf } from "../parts.js";
import type { Offer } from "../types.js";

type Props = { offer: Offer | null; onClose: () => void; onRenamed: (offer: Offer) => void };

/** A new name for an offer (its Stripe coupon is renamed too); the code and the discount stay. */
export function RenameOfferDialog({ offer, onClose, onRenamed }: Props) {
  const [name, setName] = useState("");
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    setName(offer?.name ?? "");
    setError(null);
  }, [offer?.id]);

  const submit = async () => {
    if (!offer) return;
    try {
      const saved = await api("PATCH", "/offers/{id}", { params: { id: offer.id }, body: { name: name.trim() } });
      onRenamed(saved.offer);
    } catch (err) {
      setError(formErrorOf(err));
    }
  };

  return (
    <Dialog title="Rename offer" open={offer !== null} onClose={onClose} onSubmit={submit} submitLabel="Rename">
      <p class="hint hint-top">
        Readers see the new name on the subscribe page. The code {offer?.code} and its link stay the same.
      </p>
      <label class="field" for="rename-offer">
        <span>Name</span>
        <input
          id="rename-offer"
          type="text"
          required
          maxLength={80}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          {...invalidProps(error, "name")}
        />
        <FieldError error={error} name="name" />
      </label>
      {error && !isErrorOf(error, "name") && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
