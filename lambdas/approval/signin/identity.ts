/**
 * Who signed in, from a verified ID token, and whether that person may decide with a link. Pure.
 * Entra ID v2.0 ID token claims: `oid` (the user's immutable object id in the tenant), `tid`,
 * `preferred_username` (usually the UPN), `email` (when the user has one), `amr` (methods used).
 * https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference
 */
export interface SignedIn {
  /** The `oid` claim: the subject recorded on ballots and refusals. */
  readonly oid: string;
  readonly tid: string;
  /** `preferred_username` (the UPN), lower-cased. */
  readonly username?: string;
  /** `email`, lower-cased. */
  readonly email?: string;
  /**
   * Entra's optional claim `xms_edov` (email domain owner verified) is true: only then may `email`
   * identify an approver. Without it `email` is whatever the directory holds (guests can set theirs).
   */
  readonly emailVerified?: boolean;
  readonly name?: string;
  readonly amr: readonly string[];
  /** When the person authenticated (epoch ms): `auth_time`, else the token's `iat`. */
  readonly authenticatedAt: number;
}

/** Why claims of a genuine ID token are still not a usable identity. */
export type ClaimsProblem = 'no oid' | 'wrong tenant' | 'no username or email' | 'no mfa';

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
/** ASCII letters only are lowered: Unicode case folding (the Kelvin sign K lowers to k) must never make a match. */
const lower = (v: unknown): string | undefined => text(v)?.replace(/[A-Z]/g, (c) => c.toLowerCase());
/** Printable ASCII without spaces: the only addresses compared with an approver's. */
const PLAIN_ADDRESS = /^[\x21-\x7e]+$/;

/** The identity in verified ID token claims, or the reason it is not one this site accepts. */
export function identityOf(
  claims: Readonly<Record<string, unknown>>,
  expect: { readonly tenantId: string; readonly requireMfa: boolean },
): { ok: true; identity: SignedIn } | { ok: false; problem: ClaimsProblem; partial: Partial<SignedIn> } {
  const oid = text(claims.oid);
  const tid = text(claims.tid) ?? '';
  const username = lower(claims.preferred_username);
  const email = lower(claims.email);
  const edov = claims.xms_edov;
  const emailVerified = edov === true || edov === 'true' || edov === 1 || edov === '1';
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string') : [];
  const seconds = typeof claims.auth_time === 'number' ? claims.auth_time : Number(claims.iat);
  const identity: SignedIn = {
    oid: oid ?? '',
    tid,
    ...(username && { username }),
    ...(email && { email }),
    ...(email && emailVerified && { emailVerified }),
    ...(text(claims.name) && { name: text(claims.name)! }),
    amr,
    authenticatedAt: Number.isFinite(seconds) ? seconds * 1000 : 0,
  };
  const fail = (problem: ClaimsProblem) => ({ ok: false as const, problem, partial: identity });
  if (!oid) return fail('no oid');
  if (tid.toLowerCase() !== expect.tenantId.toLowerCase()) return fail('wrong tenant');
  if (!username && !email) return fail('no username or email');
  if (expect.requireMfa && !amr.includes('mfa')) return fail('no mfa');
  return { ok: true, identity };
}

/**
 * The signed-in person is the approver the link was mailed to: their UPN (`preferred_username`) is
 * that address, or their `email` is and Entra says its domain owner verified it (`xms_edov`).
 * Microsoft: `email` and `preferred_username` are mutable and must not drive authorization alone;
 * the UPN is admin-controlled in the tenant, the email of a guest is not. Non-ASCII never matches.
 */
export function isApprover(identity: SignedIn, approver: string): boolean {
  // Only ASCII letters are lowered (lower above), so an address that is not printable ASCII could
  // only equal itself: such an approver is never matched at all.
  const want = lower(approver);
  if (want === undefined || !PLAIN_ADDRESS.test(want)) return false;
  return identity.username === want || (identity.emailVerified === true && identity.email === want);
}

/** The sign-in is recent enough to decide with (step-up): at most `stepUpMs` old, and not from the future. */
export function freshEnough(identity: SignedIn, nowMs: number, stepUpMs: number): boolean {
  const age = nowMs - identity.authenticatedAt;
  return age >= -60_000 && age <= stepUpMs;
}

/** How an identity is named in audit records and logs: the subject and the username, never a token. */
export function describeIdentity(identity: Partial<SignedIn>): { oid?: string; username?: string } {
  const username = identity.username ?? identity.email;
  return { ...(identity.oid && { oid: identity.oid }), ...(username && { username }) };
}
