import type { ActionKind } from '../config/actions.js';
import type { Config } from '../config/index.js';
import { ItemState } from '../domain/item-states.js';
import type { ProposalItem, ProposalMeta } from '../domain/proposal.js';
import { ACTION_ORDER } from '../mail/format.js';
import { deadlineFromSummary, type BillingDeadline } from '../reports/land-before.js';
import { proposalBilling, type ProposalBilling } from '../reports/proposal-billing.js';
import type { ProposalAccess, RunSummaries } from './ports.js';
import { billableFromRunSummary, itemSeat, seatImpact, type SeatImpact } from './seat-impact.js';

/** Everything the proposal email and the review page show, computed once. */
export interface ProposalView {
  readonly proposal: ProposalMeta;
  readonly items: readonly ProposalItem[];
  /** Items waiting for a human decision (PROPOSED), by action in display order. */
  readonly pending: ReadonlyMap<ActionKind, readonly ProposalItem[]>;
  /** Items approved without a human at send time. */
  readonly autoApproved: ReadonlyMap<ActionKind, readonly ProposalItem[]>;
  readonly pendingCount: number;
  readonly autoApprovedCount: number;
  readonly seats: SeatImpact;
  /** Billing-day deadlines of the seats it frees, pro-rated costs of the seats it adds. */
  readonly billing: ProposalBilling;
  /** Epoch ms of the decision deadline. */
  readonly expiresAt: number;
  readonly timeZone: string;
}

/** Every item of a proposal, in account order. */
export async function loadItems(proposals: ProposalAccess, proposalId: string): Promise<ProposalItem[]> {
  const out: ProposalItem[] = [];
  for await (const item of proposals.items(proposalId)) out.push(item);
  return out.sort((a, b) => (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0));
}

/** The billable seat count the plan run recorded, if any. */
export async function billableBefore(runs: RunSummaries, proposal: ProposalMeta): Promise<number | undefined> {
  return billableFromRunSummary((await runs.get(proposal.runId))?.summary);
}

/** What the plan run recorded for the view: the seat count and the billing-day deadline. */
export interface RunBasis {
  readonly before?: number;
  readonly deadline?: BillingDeadline;
}

export async function runBasis(runs: RunSummaries, proposal: ProposalMeta): Promise<RunBasis> {
  const summary = (await runs.get(proposal.runId))?.summary;
  const before = billableFromRunSummary(summary);
  const deadline = deadlineFromSummary(summary);
  return { ...(before !== undefined && { before }), ...(deadline && { deadline }) };
}

/** When the view is built, and the plan's deadline. */
export interface ViewContext {
  /** @default the proposal's completion (or creation) time */
  readonly nowMs?: number;
  readonly deadline?: BillingDeadline;
}

function byAction(items: readonly ProposalItem[]): Map<ActionKind, ProposalItem[]> {
  const out = new Map<ActionKind, ProposalItem[]>();
  for (const kind of ACTION_ORDER) {
    const of = items.filter((i) => i.action === kind).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
    if (of.length > 0) out.set(kind, of);
  }
  return out;
}

export const isAutoApproved = (item: ProposalItem): boolean =>
  item.state === ItemState.APPROVED && item.decidedBy === AUTO_APPROVER;

/** The actor recorded on items approved by configuration. */
export const AUTO_APPROVER = 'system:auto-approve';

export function buildView(
  config: Config,
  proposal: ProposalMeta,
  items: readonly ProposalItem[],
  before: number | undefined,
  expiresAt: number,
  context: ViewContext = {},
): ProposalView {
  const pending = items.filter((i) => i.state === ItemState.PROPOSED);
  const auto = items.filter(isAutoApproved);
  const f = config.finance;
  const rule = { tier: f.tier, policies: config.policies };
  const seatOf = (i: ProposalItem) => itemSeat(i, rule);
  const billing = proposalBilling(
    items.map((i) => ({
      accountId: i.accountId,
      action: i.action,
      seat: seatOf(i),
      pending: i.state === ItemState.PROPOSED,
    })),
    {
      cycle: { billingDay: f.billingDay, timeZone: f.timeZone },
      seatPrice: f.seatPrice,
      currency: f.currency,
      nowMs: context.nowMs ?? Date.parse(proposal.completedAt ?? proposal.createdAt),
      ...(context.deadline && { deadline: context.deadline }),
    },
  );
  return {
    proposal,
    items,
    pending: byAction(pending),
    autoApproved: byAction(auto),
    pendingCount: pending.length,
    autoApprovedCount: auto.length,
    seats: seatImpact(items, {
      ...(before !== undefined && { before }),
      billablePolicyId: config.policies.billableId,
      seatPrice: config.finance.seatPrice,
      currency: config.finance.currency,
      seatOf,
    }),
    billing,
    expiresAt,
    timeZone: config.schedules.timeZone,
  };
}
