import type { ActionKind } from '../config/actions.js';
import { periodContaining, type BillingCycle } from './cycle.js';
import { landing, LandingKind, type BillingDeadline } from './land-before.js';
import { proRatedCost } from './savings.js';

/** One proposal item as billing sees it: the seat it frees (1), adds (-1) or leaves alone (0). */
export interface ItemSeat {
  readonly accountId: string;
  readonly action: ActionKind;
  readonly seat: -1 | 0 | 1;
  /** Waiting for a human decision (not approved by configuration). */
  readonly pending: boolean;
}

/** "Approve by <decideBy> to save <seats> x price from <savesFrom>", per kind of change. */
export interface LandingLine {
  readonly kind: LandingKind;
  readonly seats: number;
  /** seats x price: what each period's bill is lower by once they land. */
  readonly perPeriod: number;
  readonly leadDays: number;
  readonly decideBy: string;
  /** An approval now still lands before the billing day. */
  readonly onTime: boolean;
  /** First day of the period the saving starts in when approved now. */
  readonly savesFrom: string;
}

/** A change that adds a seat mid-period: the most it adds to the current bill, pro rata. */
export interface ProRatedFlag {
  readonly daysLeft: number;
  readonly days: number;
  readonly amount: number;
}

export interface ProposalBilling {
  readonly deadline?: BillingDeadline;
  /** Kinds with seats to free that wait for a decision, moves first; empty without a deadline. */
  readonly landings: readonly LandingLine[];
  /** By account id: the items that add a seat. */
  readonly proRated: ReadonlyMap<string, ProRatedFlag>;
  readonly proRatedTotal: number;
  /** Last day (YYYY-MM-DD, billing zone) of the current period, which the pro-rated cost runs to. */
  readonly periodLastDay: string;
  readonly seatPrice: number;
  readonly currency: string;
}

export interface ProposalBillingOptions {
  readonly cycle: BillingCycle;
  readonly seatPrice: number;
  readonly currency: string;
  /** When the mail is sent or the page is shown. */
  readonly nowMs: number;
  /** What the plan run recorded; absent when the setting is off or the billing day was not near. */
  readonly deadline?: BillingDeadline;
}

const KIND_OF: Partial<Record<ActionKind, LandingKind>> = {
  MOVE_TO_NONBILLABLE: LandingKind.MOVES,
  DEACTIVATE: LandingKind.DEACTIVATIONS,
};

/** The billing side of a proposal: deadlines for the seats it frees, pro-rated costs for the seats it adds. */
export function proposalBilling(items: readonly ItemSeat[], o: ProposalBillingOptions): ProposalBilling {
  const landings: LandingLine[] = [];
  const deadline = o.deadline;
  if (deadline)
    for (const kind of [LandingKind.MOVES, LandingKind.DEACTIVATIONS]) {
      const seats = items.filter((i) => i.pending && i.seat === 1 && KIND_OF[i.action] === kind).length;
      if (seats === 0) continue;
      const { leadDays, decideBy } = deadline[kind];
      landings.push({
        kind,
        seats,
        perPeriod: seats * o.seatPrice,
        leadDays,
        decideBy,
        ...landing(deadline, kind, o.nowMs, o.cycle),
      });
    }
  const proRated = new Map<string, ProRatedFlag>();
  let proRatedTotal = 0;
  for (const item of items.filter((i) => i.seat === -1)) {
    const flag = proRatedCost(o.nowMs, o.cycle, o.seatPrice);
    proRated.set(item.accountId, flag);
    proRatedTotal += flag.amount;
  }
  return {
    ...(deadline && { deadline }),
    landings,
    proRated,
    proRatedTotal,
    periodLastDay: periodContaining(o.nowMs, o.cycle).lastDay,
    seatPrice: o.seatPrice,
    currency: o.currency,
  };
}
