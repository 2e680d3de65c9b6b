/**
 * Undo: reverses executed changes of a proposal, one account or all of them, as a new small
 * proposal (`undo-<source>-<hash>`) whose items are the reverse actions: REACTIVATE for a
 * deactivation (enable after disable, restore after suspend), a move back to the policy recorded in
 * the item's evidence for a policy move. Like any proposal it needs approval: the approvers by the
 * review site, or an operator by the command line (`approveAsOperator`, recorded as the decider).
 * It then runs through the same execution engine, with its re-checks and audit. Asking twice for
 * the same accounts yields the same proposal.
 */
import { createHash } from 'node:crypto';
import { ActionKind, type Config } from '../config/index.js';
import { AuditEvent, ItemState, ProposalStatus, proposalStream, StateConflictError } from '../domain/index.js';
import { checkCaps } from '../rules/verdict.js';
import type { AuditEntry, ProposalItem, ProposalMeta } from '../domain/index.js';
import type { AuditLog, ProposalStore } from '../domain/ports.js';
import { contentHash } from '../plan/content-hash.js';
import type { Clock } from '../shared/clock.js';
import type { UndoOf } from './undo-evidence.js';

export class UndoError extends Error {
  override readonly name = 'UndoError';
}

export interface UndoDeps {
  readonly config: Config;
  readonly proposals: Pick<ProposalStore, 'get' | 'items' | 'create' | 'putItems' | 'setStatus' | 'moveItem'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
}

export interface UndoRequest {
  readonly sourceProposalId: string;
  /** @default every executed (DONE) change of the source proposal */
  readonly accountIds?: readonly string[];
  /** Who asks: `operator:alice@example.com` (command line) or `approver:bob@example.com` (review site). */
  readonly requestedBy: string;
}

export interface UndoProposal {
  readonly proposal: ProposalMeta;
  readonly items: readonly ProposalItem[];
  /** False when the same undo was asked for before: the stored proposal is returned as it stands. */
  readonly created: boolean;
}

const REVERSIBLE = new Set<string>([
  ActionKind.DEACTIVATE,
  ActionKind.MOVE_TO_NONBILLABLE,
  ActionKind.MOVE_TO_BILLABLE,
]);

/** The undo proposal's id: the source's id and a hash of the accounts, so the same request is the same proposal. */
export function undoProposalId(sourceProposalId: string, accountIds: readonly string[]): string {
  const hash = createHash('sha256')
    .update([...accountIds].sort().join('\n'))
    .digest('hex')
    .slice(0, 10);
  return `undo-${sourceProposalId}-${hash}`;
}

/** The reverse of one executed item (pure). */
export function reverseItem(source: ProposalItem, undoId: string, config: Config, at: string): ProposalItem {
  const when = source.executedAt ? ` on ${source.executedAt.slice(0, 10)}` : '';
  const base = {
    proposalId: undoId,
    accountId: source.accountId,
    ...(source.email && { email: source.email }),
    ...(source.name && { name: source.name }),
    reason: 'UNDO',
    state: ItemState.PROPOSED,
    updatedAt: at,
  };
  const products = source.evidence.products;
  const record = (u: UndoOf) => ({ undo: u, ...(products !== undefined && { products }) });
  if (source.action === ActionKind.DEACTIVATE) {
    const call = /^suspend\b/.test(source.outcomeMessage ?? '')
      ? 'restore'
      : /^disable\b/.test(source.outcomeMessage ?? '')
        ? 'enable'
        : config.deactivation.mode === 'suspend'
          ? 'restore'
          : 'enable';
    return {
      ...base,
      action: ActionKind.REACTIVATE,
      summary: `Undo of proposal ${source.proposalId}: ${call} the account deactivated${when} (${source.reason}: ${source.summary})`,
      evidence: record({
        proposalId: source.proposalId,
        action: source.action,
        call,
        ...(source.executedAt && { executedAt: source.executedAt }),
      }),
    };
  }
  const toBillable = source.action === ActionKind.MOVE_TO_NONBILLABLE;
  // Back to the policy the evidence recorded, when it is one of the two configured ones.
  const configured = [config.policies.billableId, config.policies.nonbillableId];
  const recorded = source.evidence.policyId;
  const before =
    typeof recorded === 'string' && configured.includes(recorded)
      ? recorded
      : toBillable
        ? config.policies.billableId
        : config.policies.nonbillableId;
  return {
    ...base,
    action: toBillable ? ActionKind.MOVE_TO_BILLABLE : ActionKind.MOVE_TO_NONBILLABLE,
    summary: `Undo of proposal ${source.proposalId}: move back to the policy ${before}, left${when} (${source.reason}: ${source.summary})`,
    evidence: record({
      proposalId: source.proposalId,
      action: source.action,
      policyId: before,
      ...(source.executedAt && { executedAt: source.executedAt }),
    }),
  };
}

/** The executed items to reverse: all DONE changes, or exactly the named accounts (each must be one). */
export function undoable(
  items: readonly ProposalItem[],
  sourceId: string,
  accountIds?: readonly string[],
): ProposalItem[] {
  const done = items.filter((i) => i.state === ItemState.DONE && REVERSIBLE.has(i.action));
  if (accountIds === undefined) {
    if (done.length === 0)
      throw new UndoError(
        `nothing to undo: proposal ${sourceId} has no executed change (no DONE deactivation or policy move).`,
      );
    return done;
  }
  if (accountIds.length === 0) throw new UndoError('name at least one account to undo.');
  const byId = new Map(items.map((i) => [i.accountId, i]));
  const doneIds = new Set(done.map((i) => i.accountId));
  const problems = [...new Set(accountIds)]
    .filter((id) => !doneIds.has(id))
    .map((id) => {
      const item = byId.get(id);
      if (!item) return `${id} is not in proposal ${sourceId}`;
      if (!REVERSIBLE.has(item.action)) return `${id}: a ${item.action} is not undone (it is itself an undo)`;
      return `${id} was not changed (its item is ${item.state}${item.outcomeCode ? ` ${item.outcomeCode}` : ''})`;
    });
  if (problems.length > 0)
    throw new UndoError(
      `cannot undo: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}.`,
    );
  const wanted = new Set(accountIds);
  return done.filter((i) => wanted.has(i.accountId));
}

/** Closed proposals: asking again for the same undo builds a new one (`<id>-2`, `-3` ...). */
const CLOSED = new Set<string>([
  ProposalStatus.REJECTED,
  ProposalStatus.EXPIRED,
  ProposalStatus.ABANDONED,
  ProposalStatus.EMPTY,
]);
const MAX_ATTEMPTS = 20;

/** Builds (or finds) the undo proposal for a request; READY, waiting for approval. */
export async function proposeUndo(deps: UndoDeps, req: UndoRequest): Promise<UndoProposal> {
  const source = await deps.proposals.get(req.sourceProposalId);
  if (!source)
    throw new UndoError(`no proposal ${req.sourceProposalId}: check the id (lifecycle audit proposal <id>).`);
  if (source.undoOf)
    throw new UndoError(
      `${source.proposalId} is itself an undo (of ${source.undoOf}); an undo is not undone. The next nightly run proposes what is due.`,
    );
  const all: ProposalItem[] = [];
  for await (const i of deps.proposals.items(source.proposalId)) all.push(i);
  const chosen = undoable(all, source.proposalId, req.accountIds);
  const base = undoProposalId(
    source.proposalId,
    chosen.map((i) => i.accountId),
  );
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const undoId = attempt === 1 ? base : `${base}-${attempt}`;
    const at = new Date(deps.clock.now()).toISOString();
    const { created, proposal } = await deps.proposals.create({
      proposalId: undoId,
      runId: undoId,
      orgId: source.orgId,
      status: ProposalStatus.BUILDING,
      createdAt: at,
      undoOf: source.proposalId,
    });
    if (!created && CLOSED.has(proposal.status)) continue;
    if (!created && proposal.status !== ProposalStatus.BUILDING)
      return { proposal, items: await itemsOf(deps, undoId), created: false };
    return build(deps, req, source, chosen, undoId, at);
  }
  throw new UndoError(`${MAX_ATTEMPTS} undo proposals for these changes were closed already; ask an operator.`);
}

async function build(
  deps: UndoDeps,
  req: UndoRequest,
  source: ProposalMeta,
  chosen: readonly ProposalItem[],
  undoId: string,
  at: string,
): Promise<UndoProposal> {
  const items = chosen.map((i) => reverseItem(i, undoId, deps.config, at));
  await deps.proposals.putItems(items);
  const counts: Partial<Record<ActionKind, number>> = {};
  for (const i of items) counts[i.action] = (counts[i.action] ?? 0) + 1;
  // The same blast-radius caps as a nightly proposal: a large undo needs the explicit override too.
  const caps = checkCaps(items.length, source.managedCount ?? 0, deps.config.caps);
  try {
    await deps.proposals.setStatus(undoId, [ProposalStatus.BUILDING], ProposalStatus.READY, {
      completedAt: at,
      counts,
      itemCount: items.length,
      ...(source.managedCount !== undefined && { managedCount: source.managedCount }),
      contentHash: contentHash(items),
      suspicious: caps.suspicious,
      suspiciousReasons: caps.reasons,
    });
  } catch (err) {
    // The same undo built at the same moment by another request: that one stands.
    if (!(err instanceof StateConflictError)) throw err;
    return { proposal: (await deps.proposals.get(undoId))!, items: await itemsOf(deps, undoId), created: false };
  }
  const entries = (event: AuditEntry['event']): AuditEntry[] =>
    items.map((i) => ({
      event,
      actor: req.requestedBy,
      proposalId: undoId,
      accountId: i.accountId,
      action: i.action,
      outcome: 'UNDO',
      details: { undoOf: source.proposalId, summary: i.summary },
    }));
  await deps.audit.append(proposalStream(undoId), entries(AuditEvent.ITEM_PROPOSED));
  await deps.audit.append(proposalStream(source.proposalId), [
    {
      event: AuditEvent.UNDO_REQUESTED,
      actor: req.requestedBy,
      proposalId: source.proposalId,
      outcome: 'proposed',
      details: { undoProposalId: undoId, items: items.length, accountIds: items.map((i) => i.accountId) },
    },
  ]);
  return { proposal: (await deps.proposals.get(undoId))!, items, created: true };
}

async function itemsOf(deps: UndoDeps, proposalId: string): Promise<ProposalItem[]> {
  const out: ProposalItem[] = [];
  for await (const i of deps.proposals.items(proposalId)) out.push(i);
  return out;
}

/**
 * The command line's explicit operator approval of an undo proposal: every pending item APPROVED
 * and the proposal APPROVED, decided by `operator:<who>`, audited. Only undo proposals: an
 * ordinary proposal is decided by the approvers' quorum, never by one operator.
 */
export async function approveAsOperator(deps: UndoDeps, proposalId: string, operator: string): Promise<ProposalMeta> {
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) throw new UndoError(`no proposal ${proposalId}.`);
  if (!proposal.undoOf)
    throw new UndoError(`${proposalId} is not an undo proposal: only undo proposals are approved by an operator.`);
  if (proposal.status === ProposalStatus.APPROVED) return proposal;
  if (proposal.status !== ProposalStatus.READY)
    throw new UndoError(`${proposalId} is ${proposal.status}: only a READY undo proposal can be approved.`);
  if (proposal.expiresAt && !(deps.clock.now() < Date.parse(proposal.expiresAt)))
    throw new UndoError(`${proposalId} passed its deadline (${proposal.expiresAt}) undecided; ask for the undo again.`);
  if (proposal.suspicious)
    throw new UndoError(
      `${proposalId} is over the caps (${(proposal.suspiciousReasons ?? []).join(' ')}): it needs the approvers and their explicit override (--propose), not one operator.`,
    );
  const actor = `operator:${operator}`;
  const items = (await itemsOf(deps, proposalId)).filter((i) => i.state === ItemState.PROPOSED);
  for (const i of items)
    await deps.proposals.moveItem(proposalId, i.accountId, ItemState.APPROVED, { decidedBy: actor });
  const at = new Date(deps.clock.now()).toISOString();
  await deps.proposals.setStatus(proposalId, [ProposalStatus.READY], ProposalStatus.APPROVED, {
    decidedAt: at,
    decidedBy: actor,
  });
  await deps.audit.append(proposalStream(proposalId), [
    ...items.map((i) => ({
      event: AuditEvent.APPROVED,
      actor,
      proposalId,
      accountId: i.accountId,
      action: i.action,
      outcome: 'approved by operator',
    })),
    {
      event: AuditEvent.APPROVED,
      actor,
      proposalId,
      outcome: 'approved',
      details: { items: items.length, undoOf: proposal.undoOf },
    },
  ]);
  return (await deps.proposals.get(proposalId))!;
}
