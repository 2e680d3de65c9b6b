/** The evidence record behind a decision, and the sentence helpers shared by the decisions. */
import type { Activity } from './activity.js';
import type { ConfluenceNeed } from './confluence-need.js';
import type { RuleContext } from './context.js';
import type { AccountInput, EntraFacts, Evidence } from './types.js';

/** A copy without `undefined` values (the planner may hand optional fields as present-but-undefined). */
function entraEvidence(entra: EntraFacts): EntraFacts {
  const { found, accountEnabled, inConfluenceGroup, exclusionGroupIds, lastSignIn } = entra;
  return {
    ...(found !== undefined && { found }),
    ...(accountEnabled !== undefined && { accountEnabled }),
    inConfluenceGroup,
    exclusionGroupIds,
    ...(lastSignIn !== undefined && { lastSignIn }),
  };
}

/** Everything the decision saw. JSON-safe: absent facts are left out, not set to `undefined`. */
export function evidenceOf(ctx: RuleContext, input: AccountInput, activity: Activity, need?: ConfluenceNeed): Evidence {
  const { account, entra, policyId } = input;
  const evidence: { -readonly [K in keyof Evidence]: Evidence[K] } = {
    timeZone: ctx.timeZone,
    runDate: ctx.runDate,
    staleAfterDays: ctx.staleAfterDays,
    newAccountGraceDays: ctx.newAccountGraceDays,
    products: account.products.map((p) =>
      p.lastActive === undefined ? { key: p.key } : { key: p.key, lastActive: p.lastActive },
    ),
  };
  if (activity.kind !== 'never-active' && activity.last !== undefined) {
    evidence.lastActivity = activity.last;
    if (activity.inactiveDays !== undefined) evidence.inactiveDays = activity.inactiveDays;
  }
  if (account.addedToOrg !== undefined) evidence.addedToOrg = account.addedToOrg;
  if (activity.kind === 'never-active') evidence.daysSinceAdded = activity.daysSinceAdded;
  if (activity.unparsable.length > 0) evidence.unparsable = activity.unparsable;
  if (entra !== undefined) evidence.entra = entraEvidence(entra);
  const absent = notInEntra(ctx, input);
  if (absent !== undefined) evidence.notInEntra = absent;
  if (need !== undefined) {
    evidence.confluenceNeed =
      need.needed === undefined
        ? { rule: need.rule, because: need.because }
        : { rule: need.rule, needed: need.needed, because: need.because };
  }
  if (policyId !== undefined) evidence.policyId = policyId;
  return evidence;
}

/** The part of an email after its last `@`, lower-cased. */
export const domainOf = (email: string) =>
  email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();

/**
 * For an account with an email that no Entra user has (`found: false`): its domain and whether
 * that is one of the tenant's own. Undefined when Entra knows the email, existence was not read,
 * the email is hidden, or the tenant's domains are unknown.
 */
export function notInEntra(
  ctx: RuleContext,
  input: AccountInput,
): { emailDomain: string; tenantDomain: boolean } | undefined {
  const email = input.account.email?.trim();
  if (input.entra?.found !== false || !email || ctx.tenantDomains === undefined) return undefined;
  const emailDomain = domainOf(email);
  return { emailDomain, tenantDomain: ctx.tenantDomains.has(emailDomain) };
}

/** "no activity ..." → "No activity ...". */
export const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

/** Names a policy for people: "the billable policy policy-sso-billable". */
export function policyName(ctx: RuleContext, policyId: string): string {
  if (policyId === ctx.billableId) return `the billable policy ${policyId}`;
  if (policyId === ctx.nonbillableId) return `the nonbillable policy ${policyId}`;
  return `the policy ${policyId}`;
}
