import { useState } from "preact/hooks";
import { useLocation, useRoute } from "preact-iso";
import { api } from "../api.js";
import { formatMoney } from "../money.js";
import {
  ErrorNote,
  failureNotice,
  formatDate,
  formatTime,
  MemberStateBadge,
  type Notice,
  NoticeBar,
  PageHeader,
  useLoad,
} from "../parts.js";
import type { MemberDetail, Plan, Subscription } from "../types.js";
import { CancelSubscriptionDialog } from "./cancel-dialog.js";
import { ComplimentaryDialog, endFreeAccess } from "./complimentary-dialog.js";
import { DeleteReaderDialog } from "./delete-dialog.js";
import { handNoticeToList } from "./list-notice.js";

type Reader = { id: string; email: string };
const EVENTS_SHOWN = 20;

const ACCESS_LABELS: Record<MemberDetail["entitlement"]["kind"], string> = {
  registered: "What every signed-in reader reads",
  subscriber: "Everything, as a subscriber",
  complimentary: "Everything, with free access",
};
const SUBSCRIPTION_STATUS_LABELS: Record<string, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Past due",
  unpaid: "Unpaid",
  canceled: "Cancelled",
  incomplete: "Not paid yet",
  incomplete_expired: "Never started",
  paused: "Paused",
};
const INTERVAL_LABELS: Record<string, string> = { month: "monthly", year: "yearly" };

/** One reader: their account, what they pay and with which offer, free access, Stripe's events; cancel and delete. */
export function ReaderDetail() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? "";
  const detail = useLoad(() => api("GET", "/members/{id}", { params: { id } }), id);
  const plan = useLoad(() => api("GET", "/plan"), "plan");
  const [notice, setNotice] = useState<Notice | null>(null);
  const [granting, setGranting] = useState<Reader | null>(null);
  const [cancelling, setCancelling] = useState<Reader | null>(null);
  const [deleting, setDeleting] = useState<Reader | null>(null);

  const changed = (text: string) => {
    setNotice({ ok: true, text });
    detail.reload();
  };
  const d = detail.data?.member.id === id ? detail.data : undefined;
  const reader = d ? { id: d.member.id, email: d.member.email } : null;
  const live = d?.subscriptions.filter((s) => s.status !== "canceled") ?? [];
  const stripeConnected = plan.data?.stripeConnected ?? true;

  const endGrant = async () => {
    if (!reader) return;
    try {
      const done = await endFreeAccess(reader);
      if (done) changed(done);
    } catch (err) {
      setNotice(failureNotice(err));
    }
  };

  return (
    <section>
      <a class="back-link" href="/admin/readers">
        ← Readers
      </a>
      {detail.error && <ErrorNote>{detail.error}</ErrorNote>}
      {d && reader && (
        <>
          <PageHeader title={d.member.email}>
            {live.length > 0 && stripeConnected && (
              <button type="button" class="button" onClick={() => setCancelling(reader)}>
                Cancel subscription
              </button>
            )}
            <button type="button" class="button button-danger" onClick={() => setDeleting(reader)}>
              Delete reader
            </button>
          </PageHeader>
          <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
          {live.length > 0 && !stripeConnected && (
            <p class="alert alert-info">
              Stripe is not connected, so this reader's subscription cannot be cancelled from here. Start the server
              with STRIPE_SECRET_KEY set to manage subscriptions.
            </p>
          )}
          <div class="reader-panels">
            <section class="panel" aria-labelledby="reader-account">
              <h2 id="reader-account">Account</h2>
              <dl class="facts">
                <dt>Name</dt>
                <dd>{d.member.name || "No name"}</dd>
                <dt>State</dt>
                <dd>
                  <MemberStateBadge state={d.state} />
                </dd>
                <dt>Reads</dt>
                <dd>
                  {ACCESS_LABELS[d.entitlement.kind]}
                  {d.entitlement.until && `, until ${formatDate(d.entitlement.until)}`}
                </dd>
                <dt>Joined</dt>
                <dd>
                  <time dateTime={d.member.createdAt}>{formatDate(d.member.createdAt)}</time>
                </dd>
                <dt>Email confirmed</dt>
                <dd>{d.member.emailVerifiedAt ? formatDate(d.member.emailVerifiedAt) : "Not yet"}</dd>
              </dl>
            </section>
            <section class="panel" aria-labelledby="reader-free-access">
              <h2 id="reader-free-access">Free access</h2>
              {d.complimentary ? (
                <>
                  <p class="facts-line">
                    {d.complimentary.until ? `Until ${formatDate(d.complimentary.until)}` : "With no end date"}, given{" "}
                    {formatDate(d.complimentary.grantedAt)}
                    {d.complimentary.note && <span class="hint">{d.complimentary.note}</span>}
                  </p>
                  <button type="button" class="button button-small" onClick={endGrant}>
                    End free access
                  </button>
                </>
              ) : (
                <>
                  <p class="facts-line">None. Free access lets a reader read everything without paying.</p>
                  <button type="button" class="button button-small" onClick={() => setGranting(reader)}>
                    Give free access
                  </button>
                </>
              )}
            </section>
          </div>

          <h2 class="section-title">Subscriptions</h2>
          {d.subscriptions.length === 0 ? (
            <p class="empty">No subscriptions. This reader has never paid.</p>
          ) : (
            <table class="table subscription-table">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="hide-narrow">
                    Offer
                  </th>
                  <th scope="col" class="hide-narrow">
                    Started
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.subscriptions.map((s) => (
                  <tr key={s.stripeSubscriptionId}>
                    <td>
                      <span class="cell-title">{planText(s, plan.data)}</span>
                      <span class="cell-meta">{s.stripeSubscriptionId}</span>
                      <span class="show-narrow">
                        <span class="cell-meta">
                          {s.offer ? `Offer: ${s.offer.name} (${s.offer.code})` : "No offer"}
                        </span>
                      </span>
                    </td>
                    <td>
                      <span class={`badge badge-subscription-${s.status}`}>
                        {SUBSCRIPTION_STATUS_LABELS[s.status] ?? s.status.replaceAll("_", " ")}
                      </span>
                      <span class="cell-meta subscription-when">{whenText(s)}</span>
                    </td>
                    <td class="hide-narrow">
                      {s.offer ? (
                        <>
                          {s.offer.name}
                          <span class="cell-meta">{s.offer.code}</span>
                        </>
                      ) : (
                        "None"
                      )}
                    </td>
                    <td class="hide-narrow">
                      <time dateTime={s.startedAt}>{formatDate(s.startedAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}

          <h2 class="section-title">Stripe events</h2>
          {d.stripeEvents.length === 0 ? (
            <p class="empty">Stripe has sent nothing about this reader.</p>
          ) : (
            <>
              <table class="table event-table">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Received</th>
                    <th scope="col" class="hide-narrow">
                      Subscription
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.stripeEvents.slice(0, EVENTS_SHOWN).map((e) => (
                    <tr key={e.id}>
                      <td>
                        <code>{e.type}</code>
                      </td>
                      <td>
                        <time dateTime={e.receivedAt}>{formatTime(e.receivedAt)}</time>
                      </td>
                      <td class="hide-narrow">{e.stripeSubscriptionId ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.stripeEvents.length > EVENTS_SHOWN && (
                <p class="pager">
                  The {EVENTS_SHOWN} most recent of {d.stripeEvents.length}.
                </p>
              )}
            </>
          )}
        </>
      )}
      <ComplimentaryDialog
        member={granting}
        onClose={() => setGranting(null)}
        onGranted={(text) => {
          setGranting(null);
          changed(text);
        }}
      />
      <CancelSubscriptionDialog
        reader={cancelling}
        periodEnd={live[0]?.currentPeriodEnd ?? null}
        onClose={() => setCancelling(null)}
        onCancelled={(text) => {
          setCancelling(null);
          changed(text);
        }}
      />
      <DeleteReaderDialog
        reader={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(text) => {
          setDeleting(null);
          handNoticeToList(text);
          route("/admin/readers");
        }}
      />
    </section>
  );
}

/** "Digital access, monthly, €4.99": the plan's name, the interval and the price before any offer. */
function planText(s: Subscription, plan: Plan | undefined): string {
  const parts = [
    plan?.name ?? "Plan",
    ...(s.interval ? [INTERVAL_LABELS[s.interval] ?? s.interval] : []),
    ...(s.amount !== null && s.currency ? [formatMoney(s.amount, s.currency)] : []),
  ];
  return parts.join(", ");
}

/** When it renews, or when and how it ends. */
function whenText(s: Subscription): string {
  const end = s.currentPeriodEnd ? formatDate(s.currentPeriodEnd) : null;
  if (s.status === "canceled") return s.endedAt ? `Ended on ${formatDate(s.endedAt)}` : "Ended";
  if (s.cancelAtPeriodEnd) return end ? `Cancels on ${end}` : "Cancels at the end of the period";
  if (s.status === "past_due")
    return s.pastDueSince ? `Payment failed on ${formatDate(s.pastDueSince)}` : "Payment failed";
  if (s.status === "trialing") return end ? `Trial until ${end}, then renews` : "In its trial";
  return end ? `Renews on ${end}` : "";
}
