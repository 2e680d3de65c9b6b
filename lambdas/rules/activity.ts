/**
 * Is an account stale? Inactivity is measured in whole calendar days in the run's time zone
 * (see dates.ts): `inactiveDays = runDate - date of the latest activity`.
 *
 * - The latest activity is the latest of `lastActive` (v1, overall) and every
 *   `products[].lastActive`. Stale iff `inactiveDays > staleAfterDays`: exactly N days is not stale.
 * - An account never active in any product counts from `addedToOrg`: kept while
 *   `daysSinceAdded <= newAccountGraceDays`, stale once `daysSinceAdded > staleAfterDays`.
 *   The grace applies only to never-active accounts; an account with activity is judged by it.
 * - An unparsable date never deactivates. If a valid date is recent the account is recent anyway
 *   (the latest can only be later); otherwise the answer is `unknown` with the field to re-fetch.
 */
import type { ManagedAccount } from '../atlassian/types.js';
import type { RuleContext } from './context.js';
import { isoDate, parseInstant } from './dates.js';
import { MissingData, type LastActivity } from './types.js';

export type Activity =
  | {
      readonly kind: 'recent' | 'stale';
      readonly last: LastActivity;
      readonly inactiveDays: number;
      readonly unparsable: readonly string[];
    }
  | {
      readonly kind: 'never-active';
      /** `grace`: within newAccountGraceDays; `waiting`: past the grace, not yet stale; `stale`. */
      readonly stage: 'grace' | 'waiting' | 'stale';
      readonly addedToOrg: string;
      readonly addedDate: string;
      readonly daysSinceAdded: number;
      readonly unparsable: readonly string[];
    }
  | {
      readonly kind: 'unknown';
      readonly missing: typeof MissingData.ADDED_TO_ORG | typeof MissingData.LAST_ACTIVE;
      /** The latest valid activity, when there is one (it is stale, or the answer would not be unknown). */
      readonly last?: LastActivity;
      readonly inactiveDays?: number;
      readonly unparsable: readonly string[];
    };

const PRODUCT_NAMES: Readonly<Record<string, string>> = {
  confluence: 'Confluence',
  'jira-software': 'Jira',
  'jira-core': 'Jira Work Management',
  'jira-service-desk': 'Jira Service Management',
  'jira-ops': 'Jira Ops',
  bitbucket: 'Bitbucket',
  trello: 'Trello',
  opsgenie: 'Opsgenie',
  statuspage: 'Statuspage',
};

interface Latest {
  readonly ms: number;
  readonly at: string;
  readonly source: string;
  readonly sourceName: string;
}

/** The latest valid activity of the products matching `only` (all when absent), plus unparsable fields. */
export function latestActivity(account: ManagedAccount, only?: string): { latest?: Latest; unparsable: string[] } {
  let latest: Latest | undefined;
  const unparsable: string[] = [];
  for (const product of account.products) {
    if (product.lastActive === undefined || (only !== undefined && product.key !== only)) continue;
    const ms = parseInstant(product.lastActive);
    if (ms === undefined) unparsable.push(`products[${product.key}].lastActive`);
    else if (latest === undefined || ms > latest.ms) {
      latest = {
        ms,
        at: product.lastActive,
        source: product.key,
        sourceName: product.name ?? PRODUCT_NAMES[product.key] ?? product.key,
      };
    }
  }
  if (only === undefined && account.lastActive !== undefined) {
    const ms = parseInstant(account.lastActive);
    if (ms === undefined) unparsable.push('lastActive');
    // Strictly later: on a tie the product, which says more, is kept as the source.
    else if (latest === undefined || ms > latest.ms)
      latest = { ms, at: account.lastActive, source: 'any', sourceName: 'any product' };
  }
  return latest === undefined ? { unparsable } : { latest, unparsable };
}

export function assessActivity(ctx: RuleContext, account: ManagedAccount): Activity {
  const { latest, unparsable } = latestActivity(account);
  if (latest !== undefined) {
    const day = ctx.dayOf(latest.ms);
    const last: LastActivity = {
      at: latest.at,
      date: isoDate(day),
      source: latest.source,
      sourceName: latest.sourceName,
    };
    const inactiveDays = ctx.today - day;
    if (inactiveDays <= ctx.staleAfterDays) return { kind: 'recent', last, inactiveDays, unparsable };
    if (unparsable.length > 0)
      return { kind: 'unknown', missing: MissingData.LAST_ACTIVE, last, inactiveDays, unparsable };
    return { kind: 'stale', last, inactiveDays, unparsable };
  }
  if (unparsable.length > 0) return { kind: 'unknown', missing: MissingData.LAST_ACTIVE, unparsable };
  if (account.addedToOrg === undefined) return { kind: 'unknown', missing: MissingData.ADDED_TO_ORG, unparsable };
  const addedMs = parseInstant(account.addedToOrg);
  if (addedMs === undefined) return { kind: 'unknown', missing: MissingData.ADDED_TO_ORG, unparsable: ['addedToOrg'] };
  const addedDay = ctx.dayOf(addedMs);
  const daysSinceAdded = ctx.today - addedDay;
  const stage =
    daysSinceAdded <= ctx.newAccountGraceDays ? 'grace' : daysSinceAdded > ctx.staleAfterDays ? 'stale' : 'waiting';
  return {
    kind: 'never-active',
    stage,
    addedToOrg: account.addedToOrg,
    addedDate: isoDate(addedDay),
    daysSinceAdded,
    unparsable,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
export const days = (n: number) => plural(n, 'day');

/** One clause about the account's activity, for summaries. */
export function describeActivity(ctx: RuleContext, activity: Activity): string {
  const threshold = `threshold ${days(ctx.staleAfterDays)}`;
  switch (activity.kind) {
    case 'recent':
      return activity.inactiveDays <= 0
        ? `active today (${activity.last.sourceName} on ${activity.last.date})`
        : `last active ${days(activity.inactiveDays)} ago (${activity.last.sourceName} on ${activity.last.date}; ${threshold})`;
    case 'stale':
      return `no activity in any product for ${days(activity.inactiveDays)} (last: ${activity.last.sourceName} on ${activity.last.date}); ${threshold}`;
    case 'never-active': {
      const added = `added to the org ${days(activity.daysSinceAdded)} ago (${activity.addedDate})`;
      if (activity.stage === 'grace')
        return `never active in any product, ${added}, within the ${days(ctx.newAccountGraceDays)} grace period`;
      return `never active in any product, ${added}; ${threshold}`;
    }
    case 'unknown':
      return activity.missing === MissingData.ADDED_TO_ORG
        ? activity.unparsable.includes('addedToOrg')
          ? `never active in any product and the date it was added to the org is unparsable`
          : `never active in any product and the date it was added to the org is unknown`
        : `last-active date unparsable (${activity.unparsable.join(', ')})${activity.last ? `; the valid ones are ${days(activity.inactiveDays ?? 0)} old or more` : ''}, so staleness cannot be decided`;
  }
}
