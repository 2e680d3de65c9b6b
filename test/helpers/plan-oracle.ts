/**
 * An independent computation of what the plan should propose for a synthetic org, written from
 * the product rules (DESIGN.md and the plan issue) directly on the simulator's people, without
 * the rule engine. The plan integration test compares the two.
 */
import type { Config } from '../../lambdas/config/index.js';
import { DEFAULT_TENANT_DOMAINS } from '../sim/graph/index.js';
import { transitiveGroupIds, type Person, type SyntheticOrg } from '../sim/org/index.js';

export type OracleAction = 'DEACTIVATE' | 'MOVE_TO_NONBILLABLE' | 'MOVE_TO_BILLABLE';

function calendarDay(epochMs: number, timeZone: string): number {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(epochMs))
    .split('-')
    .map(Number);
  return Date.UTC(y!, m! - 1, d!) / 86_400_000;
}

/** The action for one person, or undefined when the person must be left alone. */
export function oracleAction(
  org: SyntheticOrg,
  config: Config,
  person: Person,
  nowMs: number,
): OracleAction | undefined {
  if (person.accountType !== 'atlassian') return undefined;
  const email = person.atlassianEmail.toLowerCase();
  const bg = config.breakGlass.some((b) => b.email === email || b.accountId === person.accountId);
  if (bg || person.orgAdmin || person.accountStatus !== 'active' || person.membershipStatus !== 'active')
    return undefined;
  if (config.exclusions.emails.includes(email) || config.exclusions.accountIds.includes(person.accountId))
    return undefined;
  if (config.exclusions.domains.includes(email.split('@')[1]!)) return undefined;
  const exclusionGroups = new Set(config.entra.exclusionGroupIds.flatMap((g) => [...transitiveGroupIds(org, g)]));
  if (person.entra?.groups.some((g) => exclusionGroups.has(g))) return undefined;

  const tz = config.schedules.timeZone;
  const today = calendarDay(nowMs, tz);
  // Leavers: disabled in Entra; or gone from Entra with an email on one of the tenant's domains
  // (configured, else the Graph simulator's verified ones).
  const tenantDomains =
    config.entra.tenantDomains ?? DEFAULT_TENANT_DOMAINS.filter((d) => d.isVerified).map((d) => d.id);
  if (config.deactivation.deactivateEntraDisabled && person.entra && !person.entra.accountEnabled) return 'DEACTIVATE';
  if (config.deactivation.deactivateEntraDeleted && !person.entra && tenantDomains.includes(email.split('@')[1]!))
    return 'DEACTIVATE';
  const dates = person.products
    .map((p) => p.lastActive)
    .filter((d): d is string => !!d)
    .map(Date.parse);
  if (dates.length > 0) {
    if (today - calendarDay(Math.max(...dates), tz) > config.deactivation.staleAfterDays) return 'DEACTIVATE';
  } else {
    const sinceAdded = today - calendarDay(Date.parse(person.addedToOrg), tz);
    if (sinceAdded > config.deactivation.newAccountGraceDays && sinceAdded > config.deactivation.staleAfterDays)
      return 'DEACTIVATE';
    if (sinceAdded <= config.deactivation.newAccountGraceDays) return policyMove(org, config, person);
  }
  return policyMove(org, config, person);
}

function policyMove(org: SyntheticOrg, config: Config, person: Person): OracleAction | undefined {
  const confluenceGroups = transitiveGroupIds(org, config.entra.confluenceGroupId);
  const needs = person.entra?.groups.some((g) => confluenceGroups.has(g)) ?? false;
  if (needs && person.policyId === config.policies.nonbillableId) return 'MOVE_TO_BILLABLE';
  if (!needs && person.policyId === config.policies.billableId) return 'MOVE_TO_NONBILLABLE';
  return undefined;
}

/** accountId -> action, for every person the plan should propose. */
export function oracleProposal(org: SyntheticOrg, config: Config, nowMs: number): Map<string, OracleAction> {
  const out = new Map<string, OracleAction>();
  for (const p of org.people) {
    const a = oracleAction(org, config, p, nowMs);
    if (a) out.set(p.accountId, a);
  }
  return out;
}
