/** Everything the rules need from the configuration and the clock, prepared once per run. */
import type { Config } from '../config/index.js';
import { dayCounter, isoDate, parseInstant, type DayCounter } from './dates.js';

/** The run's configuration and time, normalised once so evaluating 100k accounts does no set-up work. */
export interface RuleContext {
  /** The run's instant, as received. */
  readonly now: string;
  readonly timeZone: string;
  /** The run's calendar day in `timeZone`, as days since 1970-01-01. */
  readonly today: number;
  /** `today` as YYYY-MM-DD. */
  readonly runDate: string;
  /** Maps a parsed instant to its calendar day in `timeZone`. */
  readonly dayOf: DayCounter;
  readonly staleAfterDays: number;
  readonly newAccountGraceDays: number;
  /** `deactivation.deactivateEntraDisabled`: deactivate people disabled in Entra. */
  readonly deactivateEntraDisabled: boolean;
  /** `deactivation.deactivateEntraDeleted`: deactivate people deleted from Entra (on a tenant domain). */
  readonly deactivateEntraDeleted: boolean;
  /**
   * The tenant's own email domains, lower-cased: only an email on one of them that no Entra user
   * has reads as deleted. From `entra.tenantDomains`, or read from Graph by the planner
   * (withTenantDomains); undefined when neither, and then nobody is judged deleted (needs-data).
   */
  readonly tenantDomains?: ReadonlySet<string>;
  readonly billableId: string;
  readonly nonbillableId: string;
  readonly confluenceRule: Config['entra']['confluenceRule'];
  /** Lower-cased. */
  readonly breakGlassEmails: ReadonlySet<string>;
  readonly breakGlassAccountIds: ReadonlySet<string>;
  /** Lower-cased. */
  readonly excludedEmails: ReadonlySet<string>;
  /** Lower-cased; matched exactly against the part of the email after the last `@`. */
  readonly excludedDomains: ReadonlySet<string>;
  readonly excludedAccountIds: ReadonlySet<string>;
  /** Lower-cased (Entra object ids are GUIDs, compared case-insensitively). */
  readonly exclusionGroupIds: ReadonlySet<string>;
}

/** The run instant was not a valid ISO 8601 timestamp with an offset: a programming error in the caller. */
export class RuleContextError extends Error {
  override readonly name = 'RuleContextError';
  constructor(
    message: string,
    readonly value: string,
  ) {
    super(message);
  }
}

const lower = (values: readonly string[]) => new Set(values.map((v) => v.trim().toLowerCase()));

/**
 * Builds the context of one run. `now` is the run's instant (a `Date` or an ISO 8601 timestamp with
 * `Z` or an offset); the rules never read the clock themselves.
 */
export function createRuleContext(config: Config, now: Date | string): RuleContext {
  const nowText = typeof now === 'string' ? now : now.toISOString();
  const instant = typeof now === 'string' ? parseInstant(now, { requireOffset: true }) : now.getTime();
  if (instant === undefined || Number.isNaN(instant)) {
    throw new RuleContextError(
      `the run time ${JSON.stringify(nowText)} is not an ISO 8601 timestamp with a time zone; pass a Date or a string like 2026-11-01T02:00:00Z`,
      nowText,
    );
  }
  const timeZone = config.schedules.timeZone;
  const dayOf = dayCounter(timeZone);
  const today = dayOf(instant);
  return {
    now: nowText,
    timeZone,
    today,
    runDate: isoDate(today),
    dayOf,
    staleAfterDays: config.deactivation.staleAfterDays,
    newAccountGraceDays: config.deactivation.newAccountGraceDays,
    deactivateEntraDisabled: config.deactivation.deactivateEntraDisabled,
    deactivateEntraDeleted: config.deactivation.deactivateEntraDeleted,
    ...(config.entra.tenantDomains && { tenantDomains: lower(config.entra.tenantDomains) }),
    billableId: config.policies.billableId,
    nonbillableId: config.policies.nonbillableId,
    confluenceRule: config.entra.confluenceRule,
    breakGlassEmails: lower(config.breakGlass.map((b) => b.email)),
    breakGlassAccountIds: new Set(config.breakGlass.flatMap((b) => (b.accountId === undefined ? [] : [b.accountId]))),
    excludedEmails: lower(config.exclusions.emails),
    excludedDomains: lower(config.exclusions.domains),
    excludedAccountIds: new Set(config.exclusions.accountIds),
    exclusionGroupIds: lower(config.entra.exclusionGroupIds),
  };
}

/** The context with the tenant's domains read at run time (Graph `GET /domains`, verified ones). */
export function withTenantDomains(ctx: RuleContext, domains: readonly string[]): RuleContext {
  return { ...ctx, tenantDomains: lower(domains) };
}
