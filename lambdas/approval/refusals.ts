/** Why a review link or a decision was refused. */
export const Refusal = {
  /** Unknown, malformed or tampered token, a token for another proposal, or no such proposal. One answer for all: no existence oracle. */
  INVALID_LINK: 'INVALID_LINK',
  /** The token's approver is no longer in `approval.approvers`. */
  NOT_APPROVER: 'NOT_APPROVER',
  EXPIRED: 'EXPIRED',
  /** The link was used already (or its approver decided with another link). */
  USED: 'USED',
  /** The proposal was decided (approved, rejected) or abandoned already. */
  CLOSED: 'CLOSED',
  /** The proposal's items differ from what the email described. */
  CONTENT_CHANGED: 'CONTENT_CHANGED',
  /** The link's send failed (its links were withdrawn), or has not finished yet (POST). */
  WITHDRAWN: 'WITHDRAWN',
  /** The POST failed the Origin or double-submit check. */
  CSRF: 'CSRF',
  /** Approving an over-cap proposal without ticking the override. */
  OVERRIDE_REQUIRED: 'OVERRIDE_REQUIRED',
  /** Sign-in is required and the request had no sign-in session (or one this site cannot read). */
  SIGN_IN_REQUIRED: 'SIGN_IN_REQUIRED',
  /** The signed-in person is not the approver the link was issued to. */
  WRONG_USER: 'WRONG_USER',
  /** The sign-in is older than the step-up window (`approval.signIn.stepUpMinutes`). */
  SIGN_IN_STALE: 'SIGN_IN_STALE',
  /** The sign-in failed: provider error, state or nonce mismatch, a bad, expired or replayed code or ID token. */
  SIGN_IN_FAILED: 'SIGN_IN_FAILED',
  /** `approval.signIn.requireMfa` and the sign-in's `amr` claim has no "mfa". */
  MFA_REQUIRED: 'MFA_REQUIRED',
  /** The form was malformed (unknown decision, items not in the proposal, every item deselected, an older page's form). */
  BAD_FORM: 'BAD_FORM',
} as const;
export type Refusal = (typeof Refusal)[keyof typeof Refusal];
