import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

type Props = {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit?: () => void;
  submitLabel?: string;
  /** The button that closes without doing anything ("Cancel" would be confusing in a dialog that cancels). */
  closeLabel?: string;
  wide?: boolean;
  children: ComponentChildren;
};

/** A modal form on the native <dialog>: focus stays inside, Escape closes, focus returns where it was. */
export function Dialog({
  title,
  open,
  onClose,
  onSubmit,
  submitLabel = "Save",
  closeLabel = "Cancel",
  wide = false,
  children,
}: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} class={wide ? "dialog dialog-wide" : "dialog"} onClose={onClose} aria-labelledby="dialog-title">
      <form
        method="dialog"
        onSubmit={(e) => {
          if (!onSubmit) return;
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id="dialog-title">{title}</h2>
        <div class="dialog-body">{children}</div>
        <div class="dialog-actions">
          <button type="button" class="button" onClick={onClose}>
            {closeLabel}
          </button>
          {onSubmit && (
            <button type="submit" class="button button-primary">
              {submitLabel}
            </button>
          )}
        </div>
      </form>
    </dialog>
  );
}
