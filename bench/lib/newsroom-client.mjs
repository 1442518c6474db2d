// A newsroom client for the benches: signs in through /admin/api/session and saves a published article through
// PUT /admin/api/articles/:id, as the editor does, once a second (or at another interval, with another edit).

/** Signs a staff member in with their password; returns the Cookie header that carries the session. */
export async function signInStaff(base, { email, password }) {
  const res = await fetch(`${base}/admin/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`signing in as ${email} answered ${res.status}: ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/** A caller of the newsroom API as the signed-in staff member whose cookie it is: `api(path, init)` → Response. */
export function newsroomApi(base, cookie) {
  return (path, init = {}) =>
    fetch(`${base}/admin/api${path}`, {
      ...init,
      headers: { cookie, "content-type": "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
}

/** The default edit: the body with one paragraph added after the last, naming the save. */
function appendParagraph(fields, n) {
  const edit = { type: "paragraph", content: [{ type: "text", text: `Updated by the bench, save ${n}.` }] };
  return { ...fields, body: { ...fields.body, content: [...fields.body.content, edit] } };
}

/**
 * Starts saving the published article `slug` every `intervalMs`, each save the article's fields as `edit(fields, n)`
 * makes them (by default, its body's last paragraph changed), from the version the previous save returned;
 * `onSave(fields, n)` is called as each save's answer arrives. `stop()` ends it and gives the count of saves, their
 * latency (p50 and max, in ms) and what failed. A save that takes longer than the interval delays the next; saves
 * never overlap.
 */
export async function newsroomClient(
  base,
  { cookie, slug, intervalMs = 1000, edit = appendParagraph, onSave = () => {} },
) {
  const api = newsroomApi(base, cookie);
  const list = await (await api("/articles?status=published&perPage=100")).json();
  const summary = list.articles?.find((a) => a.slug === slug);
  if (!summary) throw new Error(`the newsroom API lists no published article "${slug}"`);
  const detail = await (await api(`/articles/${summary.id}`)).json();
  const { fields } = detail.article;
  let version = detail.article.version;

  const times = [];
  const failures = [];
  let isStopping = false;
  let wake = () => {};
  const save = async (n) => {
    const saved = edit(fields, n);
    const start = performance.now();
    try {
      const res = await api(`/articles/${summary.id}`, {
        method: "PUT",
        body: JSON.stringify({ baseVersion: version, fields: saved }),
      });
      const answer = await res.json();
      if (res.status !== 200) return failures.push(`${res.status} ${answer.errors?.[0]?.code ?? ""}`.trim());
      version = answer.article.version;
      times.push(performance.now() - start);
      onSave(saved, n);
    } catch (err) {
      failures.push(err instanceof Error ? err.name : String(err));
    }
  };
  const loop = (async () => {
    let due = performance.now();
    for (let n = 1; !isStopping; n++) {
      await save(n);
      due = Math.max(due + intervalMs, performance.now());
      await new Promise((resolve) => {
        wake = resolve;
        setTimeout(resolve, due - performance.now());
      });
    }
  })();

  return {
    stop: async () => {
      isStopping = true;
      wake();
      await loop;
      const sorted = [...times].sort((x, y) => x - y);
      return {
        saves: times.length,
        p50: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
        max: sorted.at(-1) ?? Number.NaN,
        failures,
      };
    },
  };
}
