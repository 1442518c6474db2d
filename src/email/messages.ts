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
      "Open the link below to confirm it; until you do, the account keeps its old address.",
    ],
    action: { label: "Use this address", url: input.url },
    footnotes: [
      `The link works once, for ${input.validMinutes} minutes.`,
      "If you did not ask for this, ignore this email and nothing changes.",
    ],
  });
}
