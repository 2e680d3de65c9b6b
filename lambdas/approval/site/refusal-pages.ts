import type { Refusal } from '../refusals.js';

export interface RefusalPage {
  readonly status: number;
  readonly title: string;
  readonly text: string;
}

const NOTHING = 'This request changed nothing.';

/**
 * What the person sees. Only a holder of a genuine link for this proposal learns anything specific
 * (expired, used, decided, changed): everything else gets the same 404 text, whether or not the
 * proposal exists.
 */
export const REFUSAL_PAGES: Readonly<Record<Refusal, RefusalPage>> = {
  INVALID_LINK: {
    status: 404,
    title: 'This link is not valid',
    text: `The link may be incomplete or mistyped. Open it again from your most recent proposal email, or ask an administrator to resend the proposal. ${NOTHING}`,
  },
  NOT_APPROVER: {
    status: 403,
    title: 'You are no longer an approver',
    text: `Your address was removed from the approvers after this email was sent, so this link cannot decide. ${NOTHING}`,
  },
  EXPIRED: {
    status: 410,
    title: 'This link has expired',
    text: `The proposal was not decided in time; expired proposals are never carried out. The next nightly run proposes again what is still needed. ${NOTHING}`,
  },
  USED: {
    status: 409,
    title: 'This link was already used',
    text: `Each review link records one decision, and yours has been recorded. ${NOTHING}`,
  },
  CLOSED: {
    status: 409,
    title: 'This proposal is already decided',
    text: `Another approver decided it, or it was withdrawn. ${NOTHING}`,
  },
  WITHDRAWN: {
    status: 410,
    title: 'This link was withdrawn',
    text: `The proposal email did not reach every approver, so the links sent with it were withdrawn (or sending is still in progress: try again in a minute). A new email with a new link follows when sending is retried. ${NOTHING}`,
  },
  CONTENT_CHANGED: {
    status: 409,
    title: 'This proposal changed after the email was sent',
    text: `Its items no longer match what the email described, so the link cannot approve it. ${NOTHING} Ask an administrator to check the proposal.`,
  },
  CSRF: {
    status: 403,
    title: 'The decision could not be verified',
    text: `The form was sent from another site, another browser or a page opened too long ago. Open the link from your email again and decide on that page. ${NOTHING}`,
  },
  OVERRIDE_REQUIRED: {
    status: 400,
    title: 'This proposal needs the override',
    text: `It is larger than the configured cap. To approve it anyway, go back, tick the override box and approve again. ${NOTHING}`,
  },
  SIGN_IN_REQUIRED: {
    status: 401,
    title: 'Sign in before you decide',
    text: `Decisions on this site count only after you sign in with your work account. Open the link from your email again: it asks you to sign in, then shows the proposal. ${NOTHING}`,
  },
  WRONG_USER: {
    status: 403,
    title: 'This link belongs to another approver',
    text: `You signed in as someone other than the approver this link was sent to, so it cannot decide for you. Open your own proposal email, or sign out of your work account and sign in as the link's approver. The attempt was recorded. ${NOTHING}`,
  },
  SIGN_IN_STALE: {
    status: 401,
    title: 'Sign in again to decide',
    text: `Your sign-in is older than this site allows for a decision. Open the link from your email again: you will be asked to sign in again, then decide on the page. ${NOTHING}`,
  },
  SIGN_IN_FAILED: {
    status: 401,
    title: 'The sign-in could not be verified',
    text: `The answer from the sign-in service was not valid for this request (it may have been used already, taken too long, or been changed on the way). Open the link from your email again and sign in. The attempt was recorded. ${NOTHING}`,
  },
  MFA_REQUIRED: {
    status: 403,
    title: 'Sign in with multi-factor authentication',
    text: `This site accepts decisions only after a sign-in with a second factor. Sign in again with multi-factor authentication, or ask your administrator to register a method. ${NOTHING}`,
  },
  BAD_FORM: {
    status: 400,
    title: 'The decision form was incomplete',
    text: `Open the link from your email again and choose Approve (with at least one item left unticked) or Reject. ${NOTHING}`,
  },
};
