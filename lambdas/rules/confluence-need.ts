/**
 * Does the person need Confluence? The Entra Confluence group is the source of truth; by
 * `entra.confluenceRule` it may be OR-ed with one Atlassian-side signal:
 * - `group`: transitive member of `entra.confluenceGroupId` (someone not found in Entra is not);
 * - `group-or-product-access`: ... or has a `confluence` entry in the account's product access;
 * - `group-or-recent-activity`: ... or active in Confluence within `staleAfterDays` (same day
 *   counting as staleness: exactly N days ago still counts as recent).
 * Three-valued: any true term makes it true; else an unknown term (no Entra facts, an unparsable
 * Confluence date) makes it unknown; else false.
 */
import { latestActivity, days } from './activity.js';
import type { RuleContext } from './context.js';
import { MissingData, type AccountInput, type ConfluenceNeedEvidence } from './types.js';

export const CONFLUENCE_KEY = 'confluence';

export interface ConfluenceNeed extends ConfluenceNeedEvidence {
  /** What would settle an unknown answer; empty when `needed` is known. */
  readonly missing: readonly MissingData[];
}

interface Term {
  readonly value: boolean | undefined;
  readonly phrase: string;
  readonly missing?: MissingData;
}

function groupTerm({ entra }: AccountInput): Term {
  if (entra === undefined)
    return { value: undefined, phrase: 'Entra group membership unknown', missing: MissingData.ENTRA };
  if (entra.found === false) return { value: false, phrase: 'not found in Entra ID' };
  return entra.inConfluenceGroup
    ? { value: true, phrase: 'in the Entra Confluence group' }
    : { value: false, phrase: 'not in the Entra Confluence group' };
}

function productAccessTerm({ account }: AccountInput): Term {
  return account.products.some((p) => p.key === CONFLUENCE_KEY)
    ? { value: true, phrase: 'has Confluence product access' }
    : { value: false, phrase: 'no Confluence product access' };
}

function recentActivityTerm(ctx: RuleContext, { account }: AccountInput): Term {
  const { latest, unparsable } = latestActivity(account, CONFLUENCE_KEY);
  const inactiveDays = latest === undefined ? undefined : ctx.today - ctx.dayOf(latest.ms);
  if (inactiveDays !== undefined && inactiveDays <= ctx.staleAfterDays) {
    return { value: true, phrase: `active in Confluence ${inactiveDays <= 0 ? 'today' : `${days(inactiveDays)} ago`}` };
  }
  if (unparsable.length > 0)
    return { value: undefined, phrase: 'Confluence last-active date unparsable', missing: MissingData.LAST_ACTIVE };
  return inactiveDays === undefined
    ? { value: false, phrase: 'never active in Confluence' }
    : { value: false, phrase: `not active in Confluence for ${days(inactiveDays)}` };
}

export function confluenceNeed(ctx: RuleContext, input: AccountInput): ConfluenceNeed {
  const rule = ctx.confluenceRule;
  const terms = [groupTerm(input)];
  if (rule === 'group-or-product-access') terms.push(productAccessTerm(input));
  if (rule === 'group-or-recent-activity') terms.push(recentActivityTerm(ctx, input));
  const yes = terms.find((t) => t.value === true);
  if (yes) return { rule, needed: true, because: yes.phrase, missing: [] };
  const because = terms.map((t) => t.phrase).join(' and ');
  const missing = terms.flatMap((t) => (t.missing === undefined ? [] : [t.missing]));
  return missing.length > 0 ? { rule, because, missing } : { rule, needed: false, because, missing };
}
