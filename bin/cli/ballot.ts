/**
 * An approver's decision from the command line, through the review page's own core: the same
 * link checks (authorize), the same form checks (checkChoice), the same ballot transaction,
 * audit record and quorum rule (castBallot), the same refusal audit. The operator gets a one-use
 * link of their own (as the send step issues, bound to the proposal's send and content hash), so
 * quorum counts them once, with the page or the CLI, whichever comes first.
 */
import { authorize } from '../../lambdas/approval/access.js';
import { auditRefusal } from '../../lambdas/approval/audit-entries.js';
import { castBallot, checkChoice } from '../../lambdas/approval/decide.js';
import { deadlineOf } from '../../lambdas/approval/deadline.js';
import { loadItems } from '../../lambdas/approval/proposal-view.js';
import { Refusal } from '../../lambdas/approval/refusals.js';
import type { Settlement } from '../../lambdas/approval/settle.js';
import { hashToken, newToken } from '../../lambdas/approval/tokens.js';
import type { ApprovalDeps } from '../../lambdas/approval/index.js';
import { ItemState, ProposalStatus, type Ballot, type ProposalItem } from '../../lambdas/domain/index.js';
import type { AwsCaller } from '../../lambdas/domain/ballot.js';

export interface OperatorChoice {
  readonly proposalId: string;
  readonly operator: string;
  readonly decision: 'approve' | 'reject';
  /** Account ids or emails: approve only these (approve), or reject only these and approve the rest (reject). */
  readonly items?: readonly string[];
  readonly override: boolean;
  /** Who runs the command by their AWS credentials (against AWS): recorded on the ballot and any refusal. */
  readonly awsCaller?: AwsCaller;
}

export type OperatorBallot =
  | { readonly ok: true; readonly ballot: Ballot; readonly settlement: Settlement }
  | { readonly ok: false; readonly refusal: Refusal; readonly detail: string };

/** A link of one use for the operator is valid this long (or until the proposal's deadline). */
const LINK_MS = 10 * 60_000;

export async function castAsOperator(deps: ApprovalDeps, c: OperatorChoice): Promise<OperatorBallot> {
  const ctx = {
    proposalId: c.proposalId,
    approver: c.operator,
    tokenRef: 'cli',
    requested: c.proposalId,
    ...(c.awsCaller && { awsCaller: c.awsCaller }),
  };
  const refuse = async (refusal: Refusal, detail: string, audit = true): Promise<OperatorBallot> => {
    if (audit) await auditRefusal(deps, refusal, { ...ctx, detail: `lifecycle CLI: ${detail}` }, 'CLI');
    return { ok: false, refusal, detail };
  };
  // Checked before a link is issued, so a refused command writes nothing but its refusal record.
  if (!deps.config.approval.approvers.includes(c.operator))
    return refuse(
      Refusal.NOT_APPROVER,
      `${c.operator} is not one of approval.approvers (${deps.config.approval.approvers.join(', ')}).`,
    );
  const proposal = await deps.proposals.get(c.proposalId);
  if (!proposal) return refuse(Refusal.INVALID_LINK, `there is no proposal "${c.proposalId}".`, false);
  if (proposal.status !== ProposalStatus.READY)
    return refuse(Refusal.CLOSED, `proposal ${c.proposalId} is ${proposal.status}, not waiting for a decision.`);
  if (!proposal.sentAt || !proposal.sendId)
    return refuse(
      Refusal.WITHDRAWN,
      `proposal ${c.proposalId} was not sent to the approvers yet (it is decided once it was sent: set approval.reviewBaseUrl and run the plan, or wait for the send).`,
    );
  if ((await deps.tokens.ballots(c.proposalId)).some((b) => b.approver === c.operator))
    return refuse(Refusal.USED, `${c.operator} has already decided on proposal ${c.proposalId}.`);
  const items = await loadItems(deps.proposals, c.proposalId);
  const picked = pick(items, c.items);
  if (typeof picked === 'string') return refuse(Refusal.BAD_FORM, picked, false);

  const raw = newToken();
  const hash = hashToken(raw);
  const now = deps.clock.now();
  await deps.tokens.put({
    tokenHash: hash,
    proposalId: c.proposalId,
    approver: c.operator,
    contentHash: proposal.contentHash ?? '',
    issuedAt: new Date(now).toISOString(),
    expiresAt: Math.floor(Math.min(now + LINK_MS, deadlineOf(proposal, deps.config)) / 1000),
    sendId: proposal.sendId,
  });
  const access = await authorize(deps, c.proposalId, raw);
  const withdraw = () => deps.tokens.revoke(hash, new Date(deps.clock.now()).toISOString());
  if (!access.ok) {
    await withdraw();
    return refuse(access.refusal, access.context.detail ?? access.refusal);
  }
  const pending = access.grant.items.filter((i) => i.state === ItemState.PROPOSED).map((i) => i.accountId);
  const chosen = picked ? new Set(picked) : undefined;
  const deselected = !chosen
    ? []
    : c.decision === 'approve'
      ? pending.filter((id) => !chosen.has(id))
      : pending.filter((id) => chosen.has(id));
  const checked = checkChoice(
    {
      // reject --items: an approval of everything but those items (the page's deselection).
      decision: c.decision === 'reject' && !chosen ? 'reject' : 'approve',
      deselected,
      listsDeselected: true,
      override: c.override,
    },
    access.grant,
  );
  if (!checked.ok) {
    await withdraw();
    return refuse(checked.refusal, checked.detail);
  }
  return castBallot(deps, access.grant, { ...checked.ballot, ...(c.awsCaller && { awsCaller: c.awsCaller }) });
}

/** The account ids named by --items (ids or emails), or a message naming the ones not pending. */
function pick(items: readonly ProposalItem[], wanted?: readonly string[]): string[] | string | undefined {
  if (!wanted) return undefined;
  const pending = items.filter((i) => i.state === ItemState.PROPOSED);
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const w of wanted) {
    const hit = pending.find((i) => i.accountId === w || i.email?.toLowerCase() === w.toLowerCase());
    if (hit) ids.push(hit.accountId);
    else unknown.push(w);
  }
  if (unknown.length > 0)
    return `--items: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a pending item of this proposal (give account ids or emails from \`lifecycle proposals show\`).`;
  return ids;
}
