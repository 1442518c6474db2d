export { deleteMember, exportMemberData, renameMember } from "./account.js";
export {
  checkEmailChangeLink,
  confirmEmailChange,
  RECENT_SIGN_IN_MINUTES,
  requestEmailChange,
  undoEmailChange,
  undoLinkInvalid,
} from "./email-change.js";
export type { Entitlement, MemberChanges, PaidAccess } from "./entitlements.js";
export { createMemberChanges, entitlementOf, memberTag, setPaidAccess } from "./entitlements.js";
export type { MemberMeter, MeteredRead } from "./meter.js";
export { peekMeteredRead, recordMeteredRead } from "./meter.js";
export { safeNextPath } from "./next-path.js";
export type { ImportedMember, Member } from "./queries.js";
export {
  countSignUpsByDay,
  ensureVerifiedMember,
  findMemberByEmail,
  findMemberById,
  findMembersByIds,
  importMembers,
  normalizeEmail,
} from "./queries.js";
export { LINK_LIMITS } from "./rate-limit.js";
/** For foreign keys from other modules' tables only; queries go through this module's functions. */
export { members as membersTable } from "./schema.js";
export type { Session } from "./session-cookie.js";
export { CLAIM_LIFETIME_MS, SESSION_COOKIE } from "./session-cookie.js";
export type { SessionDeps, SignedInMember } from "./sessions.js";
export {
  clearSessionCookie,
  endSession,
  findSignedInMember,
  peekSession,
  readSession,
  refreshClaim,
  signOutEverywhere,
} from "./sessions.js";
export type { MemberDeps, SignInResult } from "./sign-in.js";
export { completeSignIn, requestSignIn, sendWelcomeEmail } from "./sign-in.js";
export { isLinkUsable, TOKEN_VALID_MINUTES } from "./tokens.js";
