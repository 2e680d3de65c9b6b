/**
 * Counters a streaming planner keeps while it evaluates page after page; at the end they feed
 * `checkCaps` (`actions` of `managed`) and the proposal email. Constant memory whatever the org size.
 */
import type { ActionKind } from '../config/index.js';
import type { Decision, ExclusionCode, MissingData } from './types.js';

export interface DecisionTally {
  /** Every managed account evaluated, excluded ones included: the base of `caps.maxPercentOfOrg`. */
  managed: number;
  /** Accounts given an action. */
  actions: number;
  readonly byAction: Partial<Record<ActionKind, number>>;
  readonly byExclusion: Partial<Record<ExclusionCode, number>>;
  /** Accounts per missing field (an account missing two fields counts in both). */
  readonly byMissing: Partial<Record<MissingData, number>>;
  kept: number;
  needsData: number;
}

export function createTally(): DecisionTally {
  return { managed: 0, actions: 0, byAction: {}, byExclusion: {}, byMissing: {}, kept: 0, needsData: 0 };
}

const bump = <K extends string>(counts: Partial<Record<K, number>>, key: K) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Adds one decision to the tally (mutates it, for speed at 100k accounts). */
export function tallyDecision(tally: DecisionTally, decision: Decision): void {
  tally.managed += 1;
  switch (decision.kind) {
    case 'action':
      tally.actions += 1;
      bump(tally.byAction, decision.action);
      return;
    case 'excluded':
      bump(tally.byExclusion, decision.reason);
      return;
    case 'keep':
      tally.kept += 1;
      return;
    case 'needs-data':
      tally.needsData += 1;
      for (const field of decision.missing) bump(tally.byMissing, field);
      return;
  }
}
