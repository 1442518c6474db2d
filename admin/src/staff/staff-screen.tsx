import { useState } from "preact/hooks";
import { api } from "../api.js";
import { ErrorNote, type FormMessage, FormMessageLine, formatTime, PageHeader, useLoad } from "../parts.js";
import { useStaff } from "../session.js";
import { atLeast, type Colleague, ROLES, type Role, type Staff } from "../types.js";

const ROLE_HELP: Record<Role, string> = {
  contributor: "Writes drafts and sends them for review",
  author: "Writes and publishes their own articles",
  editor: "Edits and publishes everything; sections, tags, home page",
  admin: "Also staff, settings, readers and money",
  owner: "Also hands the paper over to someone else",
};

/** The newsroom's people: roles, invitations, and handing over ownership. */
export function StaffScreen() {
  const { staff: me } = useStaff();
  const people = useLoad(() => api("GET", "/staff"), "staff");
  const invitations = useLoad(() => api("GET", "/invitations"), "invitations");
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("author");
  const [message, setMessage] = useState<FormMessage | null>(null);
  const grantable = ROLES.filter((r) => r !== "owner" && atLeast(me, r));

  const run = async (work: () => Promise<unknown>, ok: string) => {
    setMessage(null);
    try {
      await work();
      setMessage({ tone: "ok", text: ok });
      people.reload();
      invitations.reload();
    } catch (err) {
      setMessage({ tone: "error", text: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <section>
      <PageHeader title="Staff" />
      <FormMessageLine message={message} />
      {people.error && <ErrorNote>{people.error}</ErrorNote>}
      <form
        class="panel inline-panel"
        onSubmit={(e) => {
          e.preventDefault();
          run(() => api("POST", "/invitations", { body: { email, role } }), `Invitation sent to ${email}.`).then(() =>
            setEmail(""),
          );
        }}
      >
        <h2>Invite someone</h2>
        <div class="inline-fields">
          <label class="field field-grow">
            <span>Email</span>
            <input
              type="email"
              name="invite-email"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>Role</span>
            <select name="invite-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
              {grantable.map((r) => (
                <option key={r} value={r}>
                  {r[0]!.toUpperCase() + r.slice(1)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="button button-primary">
            Send invitation
          </button>
        </div>
        <p class="hint">{ROLE_HELP[role]}. The link in the email works once, for 7 days.</p>
      </form>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col" class="hide-narrow">
              Email
            </th>
            <th scope="col">Role</th>
            <th scope="col" class="hide-narrow">
              Since
            </th>
          </tr>
        </thead>
        <tbody>
          {people.data?.staff.filter(hasDetails).map((person) => (
            <tr key={person.id}>
              <td>
                <strong>{person.name}</strong>
                {person.id === me.id && <span class="row-meta">You</span>}
                {person.deactivatedAt && <span class="badge">Deactivated</span>}
                {person.id !== me.id && person.role !== "owner" && atLeast(me, "admin") && atLeast(me, person.role) && (
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      const off = !person.deactivatedAt;
                      if (
                        off &&
                        !window.confirm(`Switch off ${person.name}'s account? They are signed out everywhere at once.`)
                      )
                        return;
                      run(
                        () =>
                          api("POST", off ? "/staff/{id}/deactivate" : "/staff/{id}/reactivate", {
                            params: { id: person.id },
                            body: {},
                          }),
                        off ? `${person.name} can no longer sign in.` : `${person.name} can sign in again.`,
                      );
                    }}
                  >
                    {person.deactivatedAt ? "Reactivate" : "Deactivate"}
                  </button>
                )}
              </td>
              <td class="hide-narrow">{person.email}</td>
              <td>
                {person.id === me.id || person.role === "owner" || !atLeast(me, person.role) ? (
                  <span class="badge">{person.role}</span>
                ) : (
                  <select
                    aria-label={`Role of ${person.name}`}
                    value={person.role}
                    onChange={(e) => {
                      const next = e.currentTarget.value as Role;
                      run(
                        () => api("PUT", "/staff/{id}/role", { params: { id: person.id }, body: { role: next } }),
                        `${person.name} is now ${next}.`,
                      );
                    }}
                  >
                    {grantable.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                )}
                {me.role === "owner" && person.id !== me.id && (
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      if (window.confirm(`Make ${person.name} the owner? You become an admin.`)) {
                        run(
                          () => api("POST", "/ownership", { body: { staffId: person.id } }),
                          `${person.name} now owns the paper.`,
                        ).then(() => window.location.reload());
                      }
                    }}
                  >
                    Make owner
                  </button>
                )}
              </td>
              <td class="hide-narrow">{formatTime(person.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {invitations.data && invitations.data.invitations.length > 0 && (
        <>
          <h2 class="section-title">Waiting invitations</h2>
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.invitations.map((i) => (
                <tr key={`${i.email}-${i.createdAt}`}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{formatTime(i.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** The list gives every detail to editors and up (this screen is for admins); a line without them is not shown. */
function hasDetails(person: Colleague): person is Staff {
  return person.email !== undefined && person.role !== undefined && person.createdAt !== undefined;
}
