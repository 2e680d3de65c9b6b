import { AuditEvent, type AuditEntry } from '../domain/audit.js';
import type { AwsCaller } from '../domain/ballot.js';
import type { ProposalItem } from '../domain/proposal.js';
import type { ApprovalDeps } from './ports.js';
import type { Refusal } from './refusals.js';
import { itemStream, proposalStream, type ItemStep } from '../domain/streams.js';
import { countOne, UNVERIFIED_REFUSALS } from './metrics.js';

export { ITEM_STREAMS, itemStream, proposalStream, refusalStream } from '../domain/streams.js';

/** Audits a step: its item records in the step's own stream, its summary in the proposal's stream. */
export async function auditStep(
  deps: ApprovalDeps,
  step: ItemStep,
  proposalId: string,
  items: readonly AuditEntry[],
  summary: readonly AuditEntry[],
): Promise<void> {
  if (items.length > 0) await deps.audit.appendOwned(itemStream(step, proposalId), items);
  if (summary.length > 0) await deps.audit.append(proposalStream(proposalId), summary);
}

export const approverActor = (approvers: readonly string[]): string => `approver:${approvers.join(',')}`;

/** One record per item, so the by-account index answers "who approved this change to me". */
export function itemEntries(
  event: AuditEntry['event'],
  actor: string,
  items: readonly ProposalItem[],
  outcome: string,
): AuditEntry[] {
  return items.map((i) => ({
    event,
    actor,
    proposalId: i.proposalId,
    accountId: i.accountId,
    action: i.action,
    outcome,
  }));
}

export interface RefusalContext {
  /** The proposal the presented token belongs to, when the token is genuine (only then is a refusal audited). */
  readonly proposalId?: string;
  readonly approver?: string;
  /** Hash prefix of what was presented as a token (never the token). */
  readonly tokenRef: string;
  /** The proposal id in the request path, shortened and reduced to safe characters. */
  readonly requested: string;
  readonly detail?: string;
  /** Who was signed in (subject and username) when sign-in is on: refusals record both identities. */
  readonly signedIn?: { readonly oid?: string; readonly username?: string };
  /** Who ran the refused command, by their AWS credentials (the CLI against AWS). */
  readonly awsCaller?: AwsCaller;
}

export const sanitizeId = (id: string): string => id.replace(/[^A-Za-z0-9._:@-]/g, '?').slice(0, 100);

/**
 * Records a refusal. A refused decision (POST) presented with a genuine link is audited in that
 * link's proposal stream. Everything else is only logged: opening a link (GET, HEAD), as every GET,
 * so mail scanners re-opening a decided link add nothing; and any request whose token is not
 * genuine (missing, malformed, unknown), which is also counted (UnverifiedRefusals). Anyone on the
 * internet can send those, so they must not be able to write permanent records, nor make writers
 * of one shared stream contend until requests fail.
 */
export async function auditRefusal(
  deps: ApprovalDeps,
  refusal: Refusal,
  ctx: RefusalContext,
  method: string,
): Promise<void> {
  const fields = {
    refusal,
    method,
    tokenRef: ctx.tokenRef,
    proposalId: ctx.proposalId,
    requested: ctx.requested,
    detail: ctx.detail,
    ...(ctx.signedIn && { signedIn: ctx.signedIn }),
    ...(ctx.awsCaller && { awsCaller: ctx.awsCaller }),
  };
  if (!ctx.proposalId) {
    deps.logger.log('warn', 'approval.refused', {
      ...fields,
      ...countOne(UNVERIFIED_REFUSALS, deps.clock.now(), { method }),
    });
    return;
  }
  if (method === 'GET' || method === 'HEAD') {
    deps.logger.log('warn', 'approval.refused', fields);
    return;
  }
  await deps.audit.append(proposalStream(ctx.proposalId), [
    {
      event: AuditEvent.DECISION_REFUSED,
      actor: ctx.approver ? approverActor([ctx.approver]) : 'anonymous',
      proposalId: ctx.proposalId,
      outcome: refusal,
      details: {
        method,
        tokenRef: ctx.tokenRef,
        requestedProposalId: ctx.requested,
        ...(ctx.detail && { detail: ctx.detail }),
        ...(ctx.signedIn && { signedIn: ctx.signedIn }),
        ...(ctx.awsCaller && { awsCaller: ctx.awsCaller }),
      },
    },
  ]);
  deps.logger.log('warn', 'approval.refused', fields);
}
