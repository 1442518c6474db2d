/** What every sign-in and account route shares: its dependencies, how its pages are sent, and its guards. */
import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import type { BillingDeps } from "../../billing/index.js";
import type { Brand } from "../../email/index.js";
import * as members from "../../members/index.js";
import type { PaywallCounters } from "../../paywall/index.js";
import { isCrossSiteRequest } from "../../shared/cross-site.js";
import { type AppError, Forbidden } from "../../shared/errors.js";
import type { StaffCheck } from "../reader.js";
import { renderDocument } from "../serve-page.js";
import type { ReaderClass, SiteFrame } from "../views/frame.js";
import type { FormMessage } from "./sign-in-views.js";

const TokenText = Type.String({ pattern: "^[A-Za-z0-9_-]{20,100}$" });
export const TokenQuery = Type.Object({ token: TokenText });
export const TokenBody = Type.Object({ token: TokenText }, { additionalProperties: false });

export type AccountDeps = members.MemberDeps & {
  loadFrame(readerClass?: ReaderClass): Promise<SiteFrame>;
  paywallCounters: PaywallCounters;
  billing: BillingDeps;
  isStaff: StaffCheck;
};

/**
 * Sends a page that belongs to one reader: never stored by anyone. Pages whose address may hold a token also
 * send no Referer onwards, so the token cannot leak to whatever the page loads or links to.
 */
export function sendPersonalPage(
  reply: FastifyReply,
  page: { status: number; body: VNode; holdsToken?: boolean },
): FastifyReply {
  reply.code(page.status).header("content-type", "text/html; charset=utf-8");
  reply.header("cache-control", "no-store").header("vary", "Cookie");
  if (page.holdsToken) reply.header("referrer-policy", "no-referrer");
  return reply.send(renderDocument(page.body));
}

export function brandOf(frame: SiteFrame): Brand {
  const { settings } = frame;
  return {
    title: settings.title,
    accentColor: settings.accentColor,
    language: settings.language,
    publicUrl: frame.publicUrl,
  };
}

/** Rejects a form posted from another site's page (CSRF) with 403; the session cookie is also SameSite=Lax. */
export function rejectCrossSiteForm(publicUrl: string) {
  return async (req: FastifyRequest): Promise<void> => {
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : undefined;
    };
    const request = { secFetchSite: header("sec-fetch-site"), origin: header("origin"), host: header("host") };
    if (isCrossSiteRequest(request, publicUrl)) {
      throw new Forbidden("CROSS_SITE_FORM", "This form was sent from another website, so it was not accepted.", {
        help: "Open the page on this site and send the form from there.",
      });
    }
  };
}

/** The request and reply of a page for members only, and where signing in comes back to. */
export type SignInRequirement = { req: FastifyRequest; reply: FastifyReply; returnTo: string };

/**
 * The signed-in member, with its session checked against the database, or a redirect to sign in that comes
 * back to `returnTo`. Every page that shows or changes the member's own data goes through here.
 */
export async function requireSignedIn(
  deps: AccountDeps,
  { req, reply, returnTo }: SignInRequirement,
): Promise<members.SignedInMember | undefined> {
  const found = await members.findSignedInMember(deps, req.headers.cookie);
  if (found) {
    if (found.setCookie) reply.header("set-cookie", found.setCookie);
    return found;
  }
  if (req.headers.cookie?.includes(`${members.SESSION_COOKIE}=`)) {
    reply.header("set-cookie", members.clearSessionCookie(deps));
  }
  reply.header("cache-control", "no-store").redirect(`/signin?next=${encodeURIComponent(returnTo)}`, 303);
  return undefined;
}

/** `requireSignedIn` for routes that need only the member. */
export async function requireMember(
  deps: AccountDeps,
  requirement: SignInRequirement,
): Promise<members.Member | undefined> {
  return (await requireSignedIn(deps, requirement))?.member;
}

export function messageFor(err: AppError): FormMessage {
  return { kind: "error", text: err.message, help: err.help };
}

export function tooManyLinksMessage(retryAfterSeconds: number): FormMessage {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    kind: "error",
    text: "Too many links were asked for, from this address or this connection.",
    help: `Please try again in ${minutes === 1 ? "a minute" : `${minutes} minutes`}. Links already sent still work.`,
  };
}

/** The masthead a signed-in member's own pages show: "Subscribe" only to those who have not. */
export function readerClassOfMember(member: members.Member, now: Date): ReaderClass {
  return members.entitlementOf(member, now).entitlement === "registered" ? "member" : "subscriber";
}
