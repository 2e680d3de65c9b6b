import type { ActionKind } from '../config/actions.js';
import type { ProposalItem } from '../domain/proposal.js';
import type { BillingRule } from '../reports/billing.js';
import { seatEffect, SeatEffect } from '../reports/changes.js';

/** Guard seats now and after the proposal, if every item in it is carried out. */
export interface SeatImpact {
  /** Billable seats counted by the run that built the proposal; undefined when unknown. */
  readonly before?: number;
  readonly after?: number;
  /** Seats the proposal frees (DEACTIVATE and MOVE_TO_NONBILLABLE of billed accounts). */
  readonly removed: number;
  /** Seats it adds (MOVE_TO_BILLABLE of accounts with product access). */
  readonly added: number;
  /** (removed - added) x seat price; negative when the proposal costs more. */
  readonly monthlySaving: number;
  readonly seatPrice: number;
  readonly currency: string;
}

interface SeatEvidence {
  readonly policyId?: unknown;
  readonly products?: unknown;
}

const hasProductAccess = (ev: SeatEvidence): boolean => Array.isArray(ev.products) && ev.products.length > 0;

/**
 * The seat one item frees (+1), adds (-1) or leaves alone (0). An account is billed when it has
 * product access and sits in the billable policy (the same rule as the plan's SeatCounter).
 */
export function seatDelta(action: ActionKind, evidence: SeatEvidence, billablePolicyId: string): -1 | 0 | 1 {
  const billed = hasProductAccess(evidence) && evidence.policyId === billablePolicyId;
  if (action === 'DEACTIVATE' || action === 'MOVE_TO_NONBILLABLE') return billed ? 1 : 0;
  return hasProductAccess(evidence) ? -1 : 0;
}

const productKeys = (products: unknown): string[] =>
  Array.isArray(products)
    ? products
        .map((p: unknown) => (typeof p === 'string' ? p : (p as { key?: unknown } | null)?.key))
        .filter((k): k is string => typeof k === 'string')
    : [];

/**
 * The seat one item frees (+1), adds (-1) or leaves alone (0) under the configured Guard tier: the
 * finance rule (reports/billing.ts) applied to the account as the plan read it. On Premium a move
 * to the nonbillable policy of a Jira or Confluence user frees nothing; an item whose policy is
 * unknown counts 0 (no saving or cost is claimed for it).
 */
export function itemSeat(item: ProposalItem, rule: BillingRule): -1 | 0 | 1 {
  const ev = item.evidence as SeatEvidence;
  const effect = seatEffect(
    {
      accountId: item.accountId,
      action: item.action,
      executedAt: item.updatedAt,
      before: {
        status: item.action === 'REACTIVATE' ? 'deactivated' : 'active',
        ...(typeof ev.policyId === 'string' && { policyId: ev.policyId }),
        products: productKeys(ev.products),
      },
    },
    rule,
  );
  return effect === SeatEffect.FREED ? 1 : effect === SeatEffect.ADDED ? -1 : 0;
}

export function seatImpact(
  items: readonly ProposalItem[],
  options: {
    before?: number;
    billablePolicyId: string;
    seatPrice: number;
    currency: string;
    /** Counts under the tier (itemSeat). @default seatDelta, the Standard rule on the billable policy */
    seatOf?: (item: ProposalItem) => -1 | 0 | 1;
  },
): SeatImpact {
  let removed = 0;
  let added = 0;
  for (const item of items) {
    const d = options.seatOf
      ? options.seatOf(item)
      : seatDelta(item.action, item.evidence as SeatEvidence, options.billablePolicyId);
    if (d > 0) removed += 1;
    if (d < 0) added += 1;
  }
  const before = options.before;
  return {
    ...(before !== undefined && { before, after: before - removed + added }),
    removed,
    added,
    monthlySaving: (removed - added) * options.seatPrice,
    seatPrice: options.seatPrice,
    currency: options.currency,
  };
}

/** Billable seats from the plan run's summary (`summary.seats.billable`), if recorded. */
export function billableFromRunSummary(summary: Record<string, unknown> | undefined): number | undefined {
  const seats = summary?.seats as { billable?: unknown } | undefined;
  return typeof seats?.billable === 'number' ? seats.billable : undefined;
}
