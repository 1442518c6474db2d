import type { Conflict } from "../types.js";
import { FieldDiff } from "./field-diff.js";

type Props = { conflict: Conflict; onTakeTheirs: () => void; onKeepMine: () => void };

/** A save that lost the race: both versions, and the choice of which one stands. Nothing was overwritten. */
export function ConflictPanel({ conflict, onTakeTheirs, onKeepMine }: Props) {
  return (
    <section class="conflict" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else saved this article while you were editing</h2>
      <p>
        Your changes are not saved yet. Version {conflict.current.version} is on the server; you started from version{" "}
        {conflict.yours.baseVersion}. Compare them, then choose.
      </p>
      <FieldDiff
        left={{ label: `On the server (version ${conflict.current.version})`, fields: conflict.current.fields }}
        right={{ label: "Yours", fields: conflict.yours.fields }}
      />
      <div class="conflict-actions">
        <button type="button" class="button" onClick={onTakeTheirs}>
          Use the server's version
        </button>
        <button type="button" class="button button-primary" onClick={onKeepMine}>
          Save mine over it
        </button>
      </div>
    </section>
  );
}
