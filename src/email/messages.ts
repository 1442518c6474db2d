/** The messages readers receive. Each is a spec for render-email's frame; add new ones here. */
import { type Brand, type RenderedEmail, renderEmail } from "./render-email.js";

export function magicLinkEmail(
  brand: Brand,
  input: { url: string; isNewMember: boolean; validMinutes: number },
): RenderedEmail {
  const expiry = `The link works once, for ${input.validMinutes} minutes.`;
  const notYou = "If you did not ask for it, ignore this email: nothing happens until the link is used.";
  return renderEmail(
    brand,
    input.isNewMember
      ? {
          subject: `Create your ${brand.title} account`,
          preheader: `One click to finish creating your free ${brand.title} account.`,
          heading: "Finish creating your account",
          paragraphs: [
            `Someone, hopefully you, asked to create a free ${brand.title} account for this address.`,
            "Open the link below to confirm it is yours; the account is made when you do.",
          ],
          action: { label: "Create my account", url: input.url },
          footnotes: [expiry, notYou],
        }
      : {
          subject: `Sign in to ${brand.title}`,
          preheader: `Your link to sign in to ${brand.title}.`,
          heading: `Sign in to ${brand.title}`,
          paragraphs: ["Open the link below to sign in. No password needed."],
          action: { label: "Sign in", url: input.url },
          footnotes: [expiry, notYou],
        },
  );
}

export function welcomeEmail(brand: Brand, input: { accountUrl: string }): RenderedEmail {
  return renderEmail(brand, {
    subject: `Welcome to ${brand.title}`,
    preheader: "Your free account is ready.",
    heading: `Welcome to ${brand.title}`,
    paragraphs: [
      "Your free account is ready. You can now read every article we publish for registered readers.",
      "Whenever you want to sign in again, enter your email address and we will send you a link.",
    ],
    action: { label: "Go to my account", url: input.accountUrl },
    footnotes: ["You can download everything we keep about you, or delete your account, from your account page."],
  });
}

export function emailChangeEmail(brand: Brand, input: { url: string; validMinutes: number }): RenderedEmail {
  return renderEmail(brand, {
    subject: `Confirm your new ${brand.title} email address`,
    preheader: "One click to move your account to this address.",
    heading: "Confirm your new email address",
    paragraphs: [
      `Someone signed in to ${brand.title} asked to use this address for their account.`,
      "Open the link below in the browser where you asked for the change; until you do, the account keeps its old address.",
    ],
    action: { label: "Use this address", url: input.url },
    footnotes: [
      `The link works once, for ${input.validMinutes} minutes, and only in that browser.`,
      "If you did not ask for this, ignore this email and nothing changes.",
    ],
  });
}

/** To the address an account is leaving: the change is announced there, with a way to take it back. */
export function emailChangedEmail(
  brand: Brand,
  input: { newEmail: string; undoUrl: string; validDays: number },
): RenderedEmail {
  return renderEmail(brand, {
    subject: `Your ${brand.title} email address was changed`,
    preheader: `Your account now uses ${input.newEmail}.`,
    heading: "Your email address was changed",
    paragraphs: [
      `Your ${brand.title} account now uses ${input.newEmail} instead of this address. Sign-in links go there from now on.`,
      "If you did not make this change, undo it: the link below gives your account this address back and signs out every browser signed in to it.",
    ],
    action: { label: "Undo this change", url: input.undoUrl },
    footnotes: [
      `The link works once, for ${input.validDays} days.`,
      "If you made the change yourself, you need do nothing.",
    ],
  });
}

export function subscriptionStartedEmail(brand: Brand, input: { accountUrl: string }): RenderedEmail {
  return renderEmail(brand, {
    subject: `Your ${brand.title} subscription has started`,
    preheader: "Thank you: every article is now open to you.",
    heading: "Thank you for subscribing",
    paragraphs: [
      `Your subscription to ${brand.title} is active: every article we publish is now open to you, on any device where you sign in.`,
      "Your payments pay for reporting. We are glad to have you with us.",
    ],
    action: { label: "See my subscription", url: input.accountUrl },
    footnotes: ["You can change your card or cancel at any time from your account page."],
  });
}

export function paymentFailedEmail(brand: Brand, input: { accountUrl: string }): RenderedEmail {
  return renderEmail(brand, {
    subject: `We could not take your ${brand.title} payment`,
    preheader: "Please update your card to keep reading.",
    heading: "Your payment did not go through",
    paragraphs: [
      "Your bank declined the latest payment for your subscription. Your access continues for a few days while we try again.",
      "Updating your card now keeps your subscription without a break.",
    ],
    action: { label: "Update my card", url: input.accountUrl },
    footnotes: ["If you meant to stop your subscription, you need do nothing."],
  });
}

export function subscriptionEndingEmail(brand: Brand, input: { accountUrl: string; endsAt: Date }): RenderedEmail {
  const day = new Intl.DateTimeFormat(brand.language === "en" ? "en-GB" : brand.language, {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(input.endsAt);
  return renderEmail(brand, {
    subject: `Your ${brand.title} subscription ends on ${day}`,
    preheader: "You can keep reading until then.",
    heading: "Your subscription is set to end",
    paragraphs: [
      `You cancelled your subscription. You keep full access until ${day}, and you will not be charged again.`,
      "Changed your mind? You can resume it from your account page before then.",
    ],
    action: { label: "Manage my subscription", url: input.accountUrl },
  });
}

export function subscriptionCancelledEmail(brand: Brand, input: { subscribeUrl: string }): RenderedEmail {
  return renderEmail(brand, {
    subject: `Your ${brand.title} subscription has ended`,
    preheader: "Your free account stays open.",
    heading: "Your subscription has ended",
    paragraphs: [
      "Your subscription has ended and you will not be charged again. Your free account stays open.",
      "You are welcome back whenever you like.",
    ],
    action: { label: "Subscribe again", url: input.subscribeUrl },
  });
}

export function passwordResetEmail(brand: Brand, input: { url: string; validMinutes: number }): RenderedEmail {
  return renderEmail(brand, {
    subject: `Reset your ${brand.title} newsroom password`,
    preheader: "A link to choose a new password.",
    heading: "Choose a new password",
    paragraphs: [
      `Someone, hopefully you, asked to reset the password of this ${brand.title} newsroom account.`,
      "Open the link below to choose a new one. Every browser signed in to the account is signed out when you do.",
    ],
    action: { label: "Choose a new password", url: input.url },
    footnotes: [
      `The link works once, for ${input.validMinutes} minutes.`,
      "If you did not ask for this, ignore this email: your password stays as it is.",
    ],
  });
}

export function staffInvitationEmail(
  brand: Brand,
  input: { url: string; inviterName: string; role: string; validDays: number },
): RenderedEmail {
  return renderEmail(brand, {
    subject: `${input.inviterName} invited you to the ${brand.title} newsroom`,
    preheader: `Join the ${brand.title} newsroom as ${input.role}.`,
    heading: `Join the ${brand.title} newsroom`,
    paragraphs: [
      `${input.inviterName} invited you to work in the ${brand.title} newsroom as ${input.role}.`,
      "Open the link below to choose your name and password.",
    ],
    action: { label: "Accept the invitation", url: input.url },
    footnotes: [
      `The link works once, for ${input.validDays} days.`,
      "If you were not expecting this, ignore this email: no account is made.",
    ],
  });
}

export function newsletterConfirmEmail(
  brand: Brand,
  input: { url: string; newsletterName: string; validHours: number },
): RenderedEmail {
  return renderEmail(brand, {
    subject: `Confirm: ${input.newsletterName} from ${brand.title}`,
    preheader: `One click and ${input.newsletterName} comes to this address.`,
    heading: `Confirm your sign-up to ${input.newsletterName}`,
    paragraphs: [
      `Someone, hopefully you, asked for ${brand.title}'s ${input.newsletterName} newsletter at this address.`,
      "Open the link below to confirm; nothing is sent to you until you do.",
    ],
    action: { label: "Confirm my sign-up", url: input.url },
    footnotes: [
      `The link works for ${input.validHours} hours.`,
      "If you did not ask for it, ignore this email: you will not hear from us again.",
    ],
  });
}

/** One article as a newsletter issue: the whole body, or its preview with the call to read on. */
export function newsletterIssueEmail(
  brand: Brand,
  input: {
    newsletterName: string;
    senderName: string | null;
    article: { title: string; dek: string; url: string };
    body: { html: string; text: string };
    /** For a reader who may not read the rest: why it stops, and where to go on. */
    ask: { text: string; label: string; url: string } | undefined;
    unsubscribeUrl: string;
    preferencesUrl: string;
  },
): RenderedEmail {
  const { article } = input;
  const rendered = renderEmail(brand, {
    subject: article.title,
    preheader: article.dek || `${input.newsletterName} from ${brand.title}`,
    heading: article.title,
    paragraphs: article.dek ? [article.dek] : [],
    body: input.body,
    action: input.ask
      ? { label: input.ask.label, url: input.ask.url }
      : { label: "Read it on the site", url: article.url },
    footnotes: [
      ...(input.ask ? [input.ask.text] : []),
      `You receive ${input.newsletterName} because you chose it at ${brand.title}.`,
    ],
    links: [
      { label: `Unsubscribe from ${input.newsletterName}`, url: input.unsubscribeUrl },
      { label: "Choose your newsletters", url: input.preferencesUrl },
    ],
  });
  return { ...rendered, fromName: input.senderName ?? brand.title };
}
