import { useState } from "preact/hooks";
import { api, type Input } from "../api.js";
import { ErrorNote, formatDate, NoticeBar, PageHeader, useListChange, useLoad } from "../parts.js";
import type { Offer, OfferState } from "../types.js";
import { NewOfferDialog } from "./new-offer-dialog.js";
import { APPLIES_TO_LABELS, discountText, OFFER_STATE_LABELS } from "./offer-terms.js";
import { RenameOfferDialog } from "./rename-offer-dialog.js";

type OfferChanges = Input<"PATCH", "/offers/{id}">["body"];

/** Discounts shared as links (/subscribe?offer=CODE): made, renamed, paused, made the default and archived. */
export function OffersScreen() {
  const list = useLoad(() => api("GET", "/offers"), "offers");
  const plan = useLoad(() => api("GET", "/plan"), "plan");
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<Offer | null>(null);
  const { notice, setNotice, busy, change } = useListChange(list.reload);
  const patch = (offer: Offer, body: OfferChanges, ok: string) =>
    change(() => api("PATCH", "/offers/{id}", { params: { id: offer.id }, body }), ok);
  const archive = (offer: Offer) => {
    if (
      !window.confirm(
        `Archive ${offer.code}? Its link stops working for good. Readers who already took it keep their discount.`,
      )
    )
      return;
    change(
      () => api("POST", "/offers/{id}/archive", { params: { id: offer.id }, body: {} }),
      `${offer.code} is archived. Readers who took it keep their discount.`,
    );
  };
  const copyLink = async (offer: Offer) => {
    try {
      await navigator.clipboard.writeText(offer.shareUrl);
      setNotice({ ok: true, text: `Link copied: ${offer.shareUrl}` });
    } catch {
      // No clipboard outside HTTPS (or when the browser refuses): the link is on the page to select by hand.
      setNotice({ ok: false, text: `This browser did not let the page copy. Select the link and copy it by hand.` });
    }
  };

  const actions = { onRename: setRenaming, onPatch: patch, onArchive: archive };

  return (
    <section>
      <PageHeader title="Offers">
        <button
          type="button"
          class="button button-primary"
          disabled={!plan.data}
          onClick={() => {
            setNotice(null);
            setCreating(true);
          }}
        >
          New offer
        </button>
      </PageHeader>
      <p class="hint hint-top">
        A discount on the <a href="/admin/plan">plan</a>, shared as a link. Readers who open it see the lower price on
        the subscribe page.
      </p>
      {plan.error && <ErrorNote>{plan.error}</ErrorNote>}
      {plan.data && !plan.data.stripeConnected && (
        <p class="alert alert-info">
          Stripe is not connected, so readers cannot take up offers yet. You can make offers now; each gets its Stripe
          coupon once the server runs with STRIPE_SECRET_KEY (and STRIPE_WEBHOOK_SECRET) set.
        </p>
      )}
      <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />
      {list.error && <ErrorNote>{list.error}</ErrorNote>}
      {list.data && list.data.offers.length === 0 && (
        <p class="empty">No offers yet. Make one to share a discount as a link.</p>
      )}
      {list.data && list.data.offers.length > 0 && (
        <table class="table offer-table" aria-busy={list.loading || busy}>
          <thead>
            <tr>
              <th scope="col">Offer</th>
              <th scope="col" class="hide-narrow">
                Discount
              </th>
              <th scope="col" class="hide-narrow numeric">
                Used
              </th>
              <th scope="col" class="hide-narrow">
                Ends
              </th>
              <th scope="col" class="hide-narrow">
                State
              </th>
              <th scope="col" class="hide-narrow">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.offers.map((o) => {
              const { state } = o;
              return (
                <tr key={o.id} class={state === "archived" ? "is-archived" : undefined}>
                  <td class="offer-cell">
                    <span class="cell-title">{o.name}</span>
                    <span class="offer-code">
                      {o.code} {o.isDefault && <span class="badge badge-default">Default</span>}
                    </span>
                    <span class="show-narrow offer-narrow">
                      {discountText(o)} · <StateBadge state={state} />
                    </span>
                    {state !== "archived" && (
                      <span class="offer-link">
                        <code>{o.shareUrl}</code>
                        <button
                          type="button"
                          class="button button-small"
                          aria-label={`Copy the link of ${o.code}`}
                          onClick={() => copyLink(o)}
                        >
                          Copy link
                        </button>
                      </span>
                    )}
                    {state !== "archived" && (
                      <div class="show-narrow offer-actions-narrow">
                        <OfferActions offer={o} {...actions} />
                      </div>
                    )}
                  </td>
                  <td class="hide-narrow">
                    {discountText(o)}
                    {o.appliesTo !== "both" && <span class="cell-meta">{APPLIES_TO_LABELS[o.appliesTo]}</span>}
                  </td>
                  <td class="hide-narrow numeric">
                    {o.maxRedemptions === null ? o.redeemed : `${o.redeemed} / ${o.maxRedemptions}`}
                    {o.maxRedemptions === null && <span class="cell-meta">No limit</span>}
                    {o.held > 0 && <span class="cell-meta">{o.held} at checkout now</span>}
                  </td>
                  <td class="hide-narrow">
                    {o.expiresAt ? <time dateTime={o.expiresAt}>{formatDate(o.expiresAt)}</time> : "No end"}
                  </td>
                  <td class="hide-narrow">
                    <StateBadge state={state} />
                  </td>
                  <td class="row-action hide-narrow">
                    {state !== "archived" && <OfferActions offer={o} {...actions} />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {plan.data && (
        <NewOfferDialog
          open={creating}
          plan={plan.data}
          onClose={() => setCreating(false)}
          onCreated={(offer) => {
            setCreating(false);
            setNotice({ ok: true, text: `${offer.code} is ready to share: ${offer.shareUrl}` });
            list.reload();
          }}
        />
      )}
      <RenameOfferDialog
        offer={renaming}
        onClose={() => setRenaming(null)}
        onRenamed={(offer) => {
          setRenaming(null);
          setNotice({ ok: true, text: `${offer.code} is now called "${offer.name}".` });
          list.reload();
        }}
      />
    </section>
  );
}

function StateBadge({ state }: { state: OfferState }) {
  return (
    <span
      class={`badge badge-offer-${state}`}
      title={
        state === "other_currency" ? "Made when the site sold in another currency: its link no longer works" : undefined
      }
    >
      {OFFER_STATE_LABELS[state]}
    </span>
  );
}

type ActionProps = {
  offer: Offer;
  onRename: (offer: Offer) => void;
  onPatch: (offer: Offer, body: OfferChanges, ok: string) => void;
  onArchive: (offer: Offer) => void;
};

/** Rename, pause or resume, the default, archive: beside the offer on a wide screen, under it on a phone. */
function OfferActions({ offer: o, onRename, onPatch, onArchive }: ActionProps) {
  return (
    <div class="offer-actions">
      <button type="button" class="button button-small" aria-label={`Rename ${o.code}`} onClick={() => onRename(o)}>
        Rename
      </button>
      {o.status === "active" ? (
        <button
          type="button"
          class="button button-small"
          aria-label={`Pause ${o.code}`}
          onClick={() =>
            onPatch(o, { status: "inactive" }, `${o.code} is paused: its link now says the offer is not available.`)
          }
        >
          Pause
        </button>
      ) : (
        <button
          type="button"
          class="button button-small"
          aria-label={`Resume ${o.code}`}
          onClick={() => onPatch(o, { status: "active" }, `${o.code} is active again.`)}
        >
          Resume
        </button>
      )}
      {o.isDefault ? (
        <button
          type="button"
          class="button button-small"
          aria-label={`Stop making ${o.code} the default`}
          onClick={() => onPatch(o, { isDefault: false }, `${o.code} is no longer the default offer.`)}
        >
          Not default
        </button>
      ) : (
        <button
          type="button"
          class="button button-small"
          aria-label={`Make ${o.code} the default`}
          onClick={() =>
            onPatch(
              o,
              { isDefault: true },
              `${o.code} is the default offer: /subscribe shows it when a link names no other.`,
            )
          }
        >
          Make default
        </button>
      )}
      <button
        type="button"
        class="button button-small button-danger"
        aria-label={`Archive ${o.code}`}
        onClick={() => onArchive(o)}
      >
        Archive
      </button>
    </div>
  );
}
