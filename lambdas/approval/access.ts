import { contentHash } from '../plan/content-hash.js';
import { ProposalStatus, type ProposalItem, type ProposalMeta } from '../domain/proposal.js';
import type { ApprovalToken } from '../domain/ballot.js';
import { sanitizeId, type RefusalContext } from './audit-entries.js';
import { deadlineOf } from './deadline.js';
import type { ApprovalDeps } from './ports.js';
import { loadItems } from './proposal-view.js';
import { Refusal } from './refusals.js';
import { hashToken, isWellFormedToken, presentedRef, tokenRef } from './tokens.js';

/** A genuine, unused, unexpired link of a current approver, for an open and unchanged proposal. */
export interface Grant {
  readonly token: ApprovalToken;
  readonly tokenHash: string;
  readonly tokenRef: string;
  readonly proposal: ProposalMeta;
  readonly items: readonly ProposalItem[];
}

export type Access =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly refusal: Refusal; readonly context: RefusalContext };

/**
 * Checks a presented link, reading only (GET relies on it writing nothing). The order matters for
 * what a stranger can learn: until the token is known to be genuine and for this very proposal,
 * every failure is the same INVALID_LINK, and the proposal itself has not even been read.
 */
export async function authorize(
  deps: ApprovalDeps,
  requestedId: string,
  presented: string | undefined,
): Promise<Access> {
  const requested = sanitizeId(requestedId);
  const refuse = (refusal: Refusal, ctx: Partial<RefusalContext> = {}): Access => ({
    ok: false,
    refusal,
    context: { tokenRef: presentedRef(presented), requested, ...ctx },
  });
  if (!isWellFormedToken(presented))
    return refuse(Refusal.INVALID_LINK, { detail: presented ? 'malformed token' : 'no token' });
  const hash = hashToken(presented);
  const token = await deps.tokens.get(hash);
  if (!token) return refuse(Refusal.INVALID_LINK, { detail: 'unknown token' });
  const known = { proposalId: token.proposalId, approver: token.approver, tokenRef: tokenRef(hash) };
  if (token.proposalId !== requestedId)
    return refuse(Refusal.INVALID_LINK, { ...known, detail: 'token of another proposal' });
  if (!deps.config.approval.approvers.includes(token.approver)) return refuse(Refusal.NOT_APPROVER, known);
  const now = deps.clock.now();
  if (now >= token.expiresAt * 1000) return refuse(Refusal.EXPIRED, { ...known, detail: 'token expired' });
  if (token.usedAt) return refuse(Refusal.USED, { ...known, detail: `used at ${token.usedAt}` });
  if (token.revokedAt)
    return refuse(Refusal.WITHDRAWN, { ...known, detail: `withdrawn at ${token.revokedAt} (its send failed)` });
  const proposal = await deps.proposals.get(token.proposalId);
  if (!proposal) return refuse(Refusal.INVALID_LINK, { ...known, detail: 'proposal missing' });
  if (proposal.status === ProposalStatus.EXPIRED)
    return refuse(Refusal.EXPIRED, { ...known, detail: 'proposal expired' });
  if (proposal.status !== ProposalStatus.READY)
    return refuse(Refusal.CLOSED, { ...known, detail: `proposal ${proposal.status}` });
  // A later send attempt replaced this link's (one that died without withdrawing its links).
  if (proposal.sendId !== token.sendId)
    return refuse(Refusal.WITHDRAWN, { ...known, detail: 'link of an earlier send attempt' });
  if (now >= deadlineOf(proposal, deps.config))
    return refuse(Refusal.EXPIRED, { ...known, detail: 'proposal past its deadline' });
  const items = await loadItems(deps.proposals, proposal.proposalId);
  const current = contentHash(items);
  if (current !== token.contentHash)
    return refuse(Refusal.CONTENT_CHANGED, {
      ...known,
      detail: `content hash ${current.slice(0, 12)} differs from the emailed ${token.contentHash.slice(0, 12)}`,
    });
  return { ok: true, grant: { token, tokenHash: hash, tokenRef: known.tokenRef, proposal, items } };
}
