import type { ActionKind } from '../config/actions.js';
import { AccountState, whyBillable, type AccountFacts, type BillingRule } from './billing.js';

/** One change the execution step carried out (an item that reached DONE). */
export interface ExecutedChange {
  readonly accountId: string;
  readonly action: ActionKind;
  /** ISO 8601 instant the change took effect. */
  readonly executedAt: string;
  /** The account just before the change (from the item's evidence and the re-check). */
  readonly before: Pick<AccountFacts, 'status' | 'policyId' | 'products' | 'department'>;
  readonly proposalId?: string;
}

/** What a change did to the Guard count: freed a seat, added one, neither, or we cannot tell. */
export const SeatEffect = { FREED: 'freed', ADDED: 'added', NONE: 'none', UNKNOWN: 'unknown' } as const;
export type SeatEffect = (typeof SeatEffect)[keyof typeof SeatEffect];

/** The account's facts once the change is made. */
export function factsAfter(change: ExecutedChange, rule: BillingRule): AccountFacts {
  const before: AccountFacts = { accountId: change.accountId, ...change.before };
  switch (change.action) {
    case 'DEACTIVATE':
      return { ...before, status: AccountState.DEACTIVATED };
    case 'MOVE_TO_NONBILLABLE':
      return { ...before, policyId: rule.policies.nonbillableId };
    case 'MOVE_TO_BILLABLE':
      return { ...before, policyId: rule.policies.billableId };
    case 'REACTIVATE':
      return { ...before, status: AccountState.ACTIVE };
  }
}

/**
 * Billed before minus billed after, under the tier: a move to the nonbillable policy frees a seat
 * on Standard, but not on Premium when the account keeps Jira or Confluence access.
 */
export function seatEffect(change: ExecutedChange, rule: BillingRule): SeatEffect {
  const was = whyBillable({ accountId: change.accountId, ...change.before }, rule).billable;
  const is = whyBillable(factsAfter(change, rule), rule).billable;
  if (was === 'unknown' || is === 'unknown') return SeatEffect.UNKNOWN;
  if (was === is) return SeatEffect.NONE;
  return was ? SeatEffect.FREED : SeatEffect.ADDED;
}

/** Executed changes between two snapshots, counted. */
export interface ChangeTotals {
  readonly deactivated: number;
  readonly movedToNonbillable: number;
  readonly movedToBillable: number;
  /** Seats the changes free from the next billing period on. */
  readonly seatsFreed: number;
  /** Seats the changes add (moves back to billable), charged pro rata this period. */
  readonly seatsAdded: number;
  /** Changes whose effect on the count cannot be told from the facts held (policy unknown). */
  readonly unknownEffect: number;
}

export function totalChanges(changes: readonly ExecutedChange[], rule: BillingRule): ChangeTotals {
  const count = (a: ActionKind) => changes.filter((c) => c.action === a).length;
  const effects = changes.map((c) => seatEffect(c, rule));
  const of = (e: SeatEffect) => effects.filter((x) => x === e).length;
  return {
    deactivated: count('DEACTIVATE'),
    movedToNonbillable: count('MOVE_TO_NONBILLABLE'),
    movedToBillable: count('MOVE_TO_BILLABLE'),
    seatsFreed: of(SeatEffect.FREED),
    seatsAdded: of(SeatEffect.ADDED),
    unknownEffect: of(SeatEffect.UNKNOWN),
  };
}
