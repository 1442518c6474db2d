import { useEffect, useState } from "preact/hooks";
import { api } from "../api.js";
import { Dialog } from "../dialog.js";
import { FieldError, type FormError, formErrorOf, invalidProps, isErrorOf } from "../parts.js";

type Props = {
  member: { id: string; email: string } | null;
  onClose: () => void;
  onGranted: (message: string) => void;
};

/** Ends a reader's free access once the admin confirms; the message to show, or null when they changed their mind. */
export async function endFreeAccess(member: { id: string; email: string }): Promise<string | null> {
  if (!window.confirm(`End ${member.email}'s free access? They keep any subscription they pay for.`)) return null;
  await api("DELETE", "/members/{id}/complimentary", { params: { id: member.id } });
  return `${member.email} no longer has free access.`;
}

/** Gives a reader paid access without paying, until a day or for good. */
export function ComplimentaryDialog({ member, onClose, onGranted }: Props) {
  const [until, setUntil] = useState("");
  const [note, setNote] = useState("");
  const [error, setError] = useState<FormError | null>(null);
  useEffect(() => {
    setUntil("");
    setNote("");
    setError(null);
  }, [member?.id]);

  const submit = async () => {
    if (!member) return;
    // The end of the chosen day where the admin is.
    const end = until ? new Date(`${until}T23:59:59`) : null;
    if (end && end.getTime() <= Date.now()) {
      setError({ message: "Choose a day in the future, or leave it empty for no end.", property: "until" });
      return;
    }
    try {
      await api("PUT", "/members/{id}/complimentary", {
        params: { id: member.id },
        body: { until: end ? end.toISOString() : null, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      onGranted(`${member.email} has free access ${end ? `until ${end.toLocaleDateString()}` : "with no end date"}.`);
    } catch (err) {
      setError(formErrorOf(err));
    }
  };

  return (
    <Dialog
      title="Give free access"
      open={member !== null}
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Give access"
    >
      <p class="hint">
        {member?.email} reads everything a subscriber reads, without paying. A subscription they have keeps running.
      </p>
      <label class="field">
        <span>Until (leave empty for no end)</span>
        <input
          type="date"
          name="until"
          value={until}
          onInput={(e) => setUntil(e.currentTarget.value)}
          {...invalidProps(error, "until")}
        />
      </label>
      <FieldError error={error} name="until" />
      <label class="field">
        <span>Note (for the newsroom)</span>
        <input
          type="text"
          name="note"
          maxLength={500}
          placeholder="Press pass, competition prize…"
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
          {...invalidProps(error, "note")}
        />
      </label>
      <FieldError error={error} name="note" />
      {error && !isErrorOf(error, "until") && !isErrorOf(error, "note") && (
        <p class="alert alert-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
