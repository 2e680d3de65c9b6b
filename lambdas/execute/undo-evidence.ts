/**
 * What an undo item remembers of the change it reverses (`evidence.undo`): the proposal and action
 * undone, the call that reverses it (enable after disable, restore after suspend) and, for a policy
 * move, the policy the account was in before. Pure.
 */
import { ActionKind } from '../config/index.js';
import type { ProposalItem } from '../domain/index.js';

export interface UndoOf {
  readonly proposalId: string;
  readonly action: ActionKind;
  /** For a reactivation: the call that reverses the deactivation. */
  readonly call?: 'enable' | 'restore';
  /** For a policy move: the policy to move back to. */
  readonly policyId?: string;
  /** When the reversed change was made. */
  readonly executedAt?: string;
}

const ACTIONS = new Set<string>(Object.values(ActionKind));

/** The undo record of an item's evidence, or undefined for an ordinary item (or a malformed record). */
export function undoOf(item: Pick<ProposalItem, 'evidence'>): UndoOf | undefined {
  const u = item.evidence.undo as Record<string, unknown> | undefined;
  if (!u || typeof u !== 'object' || typeof u.proposalId !== 'string' || !ACTIONS.has(String(u.action)))
    return undefined;
  return {
    proposalId: u.proposalId,
    action: u.action as ActionKind,
    ...((u.call === 'enable' || u.call === 'restore') && { call: u.call }),
    ...(typeof u.policyId === 'string' && u.policyId !== '' && { policyId: u.policyId }),
    ...(typeof u.executedAt === 'string' && { executedAt: u.executedAt }),
  };
}
