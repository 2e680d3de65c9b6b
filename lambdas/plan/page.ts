import type { ManagedAccount } from '../atlassian/types.js';
import { ItemState } from '../domain/item-states.js';
import type { ProposalItem } from '../domain/proposal.js';
import type { EmailJoin } from '../entra/index.js';
import { tallyDecision, type ActionDecision, type DecisionTally, type RuleContext } from '../rules/index.js';
import { evaluateWithFollowUp } from './follow-up.js';
import type { PlanDeps } from './ports.js';
import type { SeatCounter } from './seat-counter.js';
import { accountFacts } from '../reports/facts.js';
import type { SnapshotCounter as FinanceCounter } from '../reports/snapshot.js';

/** Said on a deactivation the API cannot make: the account is synced from Entra ID by SCIM. */
export const SCIM_HANDOFF_NOTE =
  'Synced from Entra ID by SCIM: Atlassian refuses to deactivate it through the API, so execution hands it to the Entra admin (disable it in Entra ID or remove it from the provisioning group).';

/** What every page of one run is evaluated against, and the counts it adds to. */
export interface PageScope {
  readonly join: EmailJoin;
  readonly membership: Parameters<typeof evaluateWithFollowUp>[3];
  /** Account ids on the org's admin list, read once before the listing. */
  readonly orgAdmins: ReadonlySet<string>;
  readonly tally: DecisionTally;
  readonly seats: SeatCounter;
  /** Finance counts under the configured Guard tier (the real run only). */
  readonly finance?: FinanceCounter;
}

/**
 * One page through the rules, the same for the real run and the dry run: counts every decision
 * and seat, and returns the page's proposed items.
 */
export async function evaluatePage(
  deps: PlanDeps,
  ctx: RuleContext,
  scope: PageScope,
  accounts: readonly ManagedAccount[],
  proposalId: string,
): Promise<ProposalItem[]> {
  const items: ProposalItem[] = [];
  for (const { account, policyId, decision } of await evaluateWithFollowUp(
    deps,
    ctx,
    scope.join,
    scope.membership,
    accounts,
    scope.orgAdmins,
  )) {
    tallyDecision(scope.tally, decision);
    scope.seats.add(account, policyId);
    scope.finance?.add(accountFacts(account, policyId));
    if (decision.kind === 'action') items.push(toItem(proposalId, account, decision, deps.clock.now()));
  }
  return items;
}

function toItem(proposalId: string, account: ManagedAccount, decision: ActionDecision, now: number): ProposalItem {
  const scim = decision.action === 'DEACTIVATE' && account.managementSource === 'synced';
  return {
    proposalId,
    accountId: account.accountId,
    ...(account.email && { email: account.email }),
    name: account.name,
    action: decision.action,
    reason: decision.reason,
    summary: scim ? `${decision.summary} ${SCIM_HANDOFF_NOTE}` : decision.summary,
    evidence: {
      ...(decision.evidence as unknown as Record<string, unknown>),
      ...(scim && { managementSource: 'synced' }),
    },
    state: ItemState.PROPOSED,
    updatedAt: new Date(now).toISOString(),
  };
}
