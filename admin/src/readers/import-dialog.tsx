import { useState } from "preact/hooks";
import { ApiError, api, type Refusal } from "../api.js";
import { Dialog } from "../dialog.js";

type Problem = NonNullable<Refusal<"POST", "/members/import", 400>["errors"][number]["rows"]>[number];
type Props = { open: boolean; onClose: () => void; onImported: (message: string) => void };

/** Adds readers from a CSV (a file or pasted text); a refused list shows every bad row by its line. */
export function ImportDialog({ open, onClose, onImported }: Props) {
  const [csv, setCsv] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setError(null);
    setProblems([]);
    onClose();
  };

  const submit = async () => {
    if (busy) return;
    if (!csv.trim()) {
      setError("Choose a file or paste the list first.");
      return;
    }
    setBusy(true);
    try {
      const result = await api("POST", "/members/import", { body: { csv } });
      setCsv("");
      close();
      const known = result.existing.length;
      onImported(
        `Imported ${plural(result.created, "new reader")}.${known ? ` ${plural(known, "address", "addresses")} already had an account and ${known === 1 ? "was" : "were"} left as ${known === 1 ? "it was" : "they were"}.` : ""}`,
      );
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setProblems(err instanceof ApiError ? rowsOf(err.body) : []);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Import readers" open={open} onClose={close} onSubmit={submit} submitLabel="Import">
      <p class="hint">
        A CSV with a header row: an <code>email</code> column and, if you have it, <code>name</code>. Each new address
        gets a free account; nothing is imported until every row is right.
      </p>
      <label class="field">
        <span>File</span>
        <input
          type="file"
          accept=".csv,text/csv,text/plain"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (file) setCsv(await file.text());
          }}
        />
      </label>
      <label class="field">
        <span>Or paste the list</span>
        <textarea
          name="csv"
          rows={7}
          value={csv}
          spellcheck={false}
          placeholder={"email,name\nann@example.com,Ann Lee"}
          onInput={(e) => setCsv(e.currentTarget.value)}
        />
      </label>
      {error && (
        <div class="alert alert-error import-problems" role="alert">
          <p>{error}</p>
          {problems.length > 0 && (
            <ul>
              {problems.map((p) => (
                <li key={`${p.line}:${p.problem}`}>
                  {p.line > 0 ? <strong>Line {p.line}:</strong> : null} {p.problem}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Dialog>
  );
}

function rowsOf(body: unknown): Problem[] {
  const first = (body as Refusal<"POST", "/members/import", 400> | null)?.errors?.[0];
  return Array.isArray(first?.rows) ? first.rows : [];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
