/**
 * Plan-level check of the break-glass accounts (DESIGN.md, "Safety rules"): each one named in
 * configuration must be found in the listing, `active`, not suspended, and provably outside the
 * SSO-enforced billable policy. Any alert means the run proposes nothing. Inactivity is never a
 * reason to alert: being unused for months is what a break-glass account is for.
 */
import type { ManagedAccount } from '../atlassian/types.js';
import type { Config } from '../config/index.js';
import { normalisedEmail } from './exclusions.js';

export const BreakGlassProblem = {
  MISSING: 'MISSING',
  NOT_ACTIVE: 'NOT_ACTIVE',
  SUSPENDED: 'SUSPENDED',
  IN_BILLABLE_POLICY: 'IN_BILLABLE_POLICY',
  /** Its policy was not read, so being outside SSO cannot be verified. */
  POLICY_UNKNOWN: 'POLICY_UNKNOWN',
  /** Found by email, but with another account id than the one configured. */
  ACCOUNT_ID_MISMATCH: 'ACCOUNT_ID_MISMATCH',
} as const;
export type BreakGlassProblem = (typeof BreakGlassProblem)[keyof typeof BreakGlassProblem];

export interface BreakGlassAlert {
  readonly problem: BreakGlassProblem;
  /** The configured email of the break-glass entry. */
  readonly email: string;
  readonly accountId?: string;
  /** Names the account, what is wrong, and what to do. */
  readonly message: string;
}

/** A break-glass account as seen in this run's listing (the planner keeps those `evaluateAccount` excluded as BREAK_GLASS). */
export interface BreakGlassSighting {
  readonly account: ManagedAccount;
  readonly policyId?: string;
}

type BreakGlassConfig = Pick<Config, 'breakGlass' | 'policies'>;

function checkOne(
  entry: Config['breakGlass'][number],
  sighting: BreakGlassSighting,
  billableId: string,
): BreakGlassAlert[] {
  const { account, policyId } = sighting;
  const who = `Break-glass account ${entry.email} (account id ${account.accountId})`;
  const alert = (problem: BreakGlassProblem, message: string): BreakGlassAlert => ({
    problem,
    email: entry.email,
    accountId: account.accountId,
    message: `${who} ${message}`,
  });
  const alerts: BreakGlassAlert[] = [];
  if (entry.accountId !== undefined && account.accountId !== entry.accountId) {
    alerts.push(
      alert(
        BreakGlassProblem.ACCOUNT_ID_MISMATCH,
        `does not have the configured account id ${entry.accountId}: check which account is the real break-glass one and fix config.breakGlass.`,
      ),
    );
  }
  if (account.accountStatus !== 'active') {
    alerts.push(
      alert(
        BreakGlassProblem.NOT_ACTIVE,
        `is ${account.accountStatus}, not active: it could not rescue an SSO outage; reactivate it in admin.atlassian.com.`,
      ),
    );
  } else if (account.membershipStatus !== undefined && account.membershipStatus !== 'active') {
    alerts.push(
      alert(
        BreakGlassProblem.SUSPENDED,
        `has membership status ${account.membershipStatus}: restore its access in admin.atlassian.com.`,
      ),
    );
  }
  if (policyId === undefined) {
    alerts.push(
      alert(
        BreakGlassProblem.POLICY_UNKNOWN,
        'has an unknown authentication policy, so it cannot be verified to be outside SSO: check the policy read.',
      ),
    );
  } else if (policyId === billableId) {
    alerts.push(
      alert(
        BreakGlassProblem.IN_BILLABLE_POLICY,
        `is in the SSO-enforced billable policy ${policyId}: an SSO outage would lock it out; move it to a policy without SSO enforcement.`,
      ),
    );
  }
  return alerts;
}

/**
 * Alerts for every configured break-glass account that is missing from `seen` or not in a state to
 * rescue the org. `seen` may hold any accounts: those not named in configuration are ignored.
 * An entry matches by account id, or by email (case-insensitive).
 */
export function checkBreakGlass(config: BreakGlassConfig, seen: Iterable<BreakGlassSighting>): BreakGlassAlert[] {
  const sightings = [...seen];
  const alerts: BreakGlassAlert[] = [];
  for (const entry of config.breakGlass) {
    const email = entry.email.toLowerCase();
    const matches = sightings.filter(
      (s) =>
        (entry.accountId !== undefined && s.account.accountId === entry.accountId) ||
        normalisedEmail(s.account) === email,
    );
    if (matches.length === 0) {
      const id = entry.accountId === undefined ? '' : ` (account id ${entry.accountId})`;
      alerts.push({
        problem: BreakGlassProblem.MISSING,
        email: entry.email,
        ...(entry.accountId !== undefined && { accountId: entry.accountId }),
        message: `Break-glass account ${entry.email}${id} was not found among the org's managed accounts: it may have been deleted or renamed; check it in admin.atlassian.com and config.breakGlass.`,
      });
    }
    for (const match of matches) alerts.push(...checkOne(entry, match, config.policies.billableId));
  }
  return alerts;
}
