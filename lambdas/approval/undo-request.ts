/**
 * Asking for an undo from the review site. The results mail of an execution gives each approver a
 * signed single-use "ask to undo" link (30 days). GET lists the executed changes and writes
 * nothing; POST builds the undo proposal for the ticked accounts (execute/undo.ts) and has the mailer
 * send it to the approvers like any proposal: nothing is reversed until they approve it.
 */
import type { Config } from '../config/index.js';
import type { UndoToken } from '../domain/ballot.js';
import { ItemState } from '../domain/item-states.js';
import type { ProposalItem, ProposalMeta } from '../domain/proposal.js';
import type { TokenStore } from '../domain/ports.js';
import { proposeUndo, undoable, UndoError, type UndoProposal } from '../execute/undo.js';
import type { Clock } from '../shared/clock.js';
import type { ApprovalDeps } from './ports.js';
import { loadItems } from './proposal-view.js';
import { reviewBase, undoLink } from './review-links.js';
import { MailRequestKind, requestMail } from './mail-requests.js';
import { hashToken, isWellFormedToken, newToken, tokenRef } from './tokens.js';

/** How long an "ask to undo" link works. */
export const UNDO_LINK_DAYS = 30;

/** Issues one approver's undo link for an executed proposal. */
export function undoLinkIssuer(config: Config, tokens: Pick<TokenStore, 'putLink'>, clock: Clock) {
  const base = reviewBase(config);
  return async (proposalId: string, approver: string): Promise<string> => {
    const token = newToken();
    const now = clock.now();
    await tokens.putLink('UNDO', {
      tokenHash: hashToken(token),
      proposalId,
      approver,
      issuedAt: new Date(now).toISOString(),
      expiresAt: Math.floor(now / 1000) + UNDO_LINK_DAYS * 86_400,
    });
    return undoLink(base, proposalId, token);
  };
}

export type UndoLink =
  | {
      readonly ok: true;
      readonly token: UndoToken;
      readonly tokenRef: string;
      readonly proposal: ProposalMeta;
      /** The executed changes that can be reversed. */
      readonly changes: readonly ProposalItem[];
    }
  | { readonly ok: false; readonly status: 404 | 410 | 409; readonly title: string; readonly detail: string };

/** Checks a presented undo link, reading only. */
export async function checkUndoLink(
  deps: ApprovalDeps,
  proposalId: string,
  presented: string | undefined,
): Promise<UndoLink> {
  const invalid = (detail: string): UndoLink => ({ ok: false, status: 404, title: 'This link is not valid', detail });
  if (!isWellFormedToken(presented)) return invalid(presented ? 'malformed token' : 'no token');
  const hash = hashToken(presented);
  const token = await deps.tokens.getLink('UNDO', hash);
  if (!token || token.proposalId !== proposalId) return invalid(token ? 'token of another proposal' : 'unknown token');
  if (!deps.config.approval.approvers.includes(token.approver))
    return invalid(`${token.approver} is no longer an approver`);
  if (token.usedAt)
    return { ok: false, status: 409, title: 'This link was used', detail: `it proposed an undo at ${token.usedAt}` };
  if (deps.clock.now() >= token.expiresAt * 1000)
    return {
      ok: false,
      status: 410,
      title: 'This link has expired',
      detail: `it expired at ${new Date(token.expiresAt * 1000).toISOString()}`,
    };
  const proposal = await deps.proposals.get(proposalId);
  if (!proposal) return invalid('proposal missing');
  const items = await loadItems(deps.proposals, proposalId);
  let changes: ProposalItem[];
  try {
    changes = undoable(items, proposalId);
  } catch (err) {
    if (!(err instanceof UndoError)) throw err;
    return { ok: false, status: 409, title: 'Nothing to undo', detail: err.message };
  }
  return { ok: true, token, tokenRef: tokenRef(hash), proposal, changes };
}

export type UndoAsk =
  /** `sent`: handed to the mailer for the approvers now; otherwise the same undo existed already (its status says how it stands). */
  | { readonly ok: true; readonly undo: UndoProposal; readonly sent: boolean }
  | { readonly ok: false; readonly detail: string };

/** Builds the undo proposal for the chosen accounts, spends the link and asks the mailer to send the proposal. */
export async function askUndo(
  deps: ApprovalDeps,
  link: UndoLink & { ok: true },
  accountIds: readonly string[],
): Promise<UndoAsk> {
  const chosen = [...new Set(accountIds)];
  if (chosen.length === 0) return { ok: false, detail: 'Tick at least one change to undo.' };
  if (chosen.length > link.changes.length)
    return {
      ok: false,
      detail: `The form names ${chosen.length} accounts; this proposal changed ${link.changes.length}.`,
    };
  // Spent first, by a conditional write: two requests with one link cannot both propose.
  if (!(await deps.tokens.spendLink('UNDO', link.token.tokenHash, new Date(deps.clock.now()).toISOString())))
    return { ok: false, detail: 'This link was used already: it proposes one undo.' };
  let undo: UndoProposal;
  try {
    undo = await proposeUndo(deps, {
      sourceProposalId: link.proposal.proposalId,
      accountIds: chosen,
      requestedBy: `approver:${link.token.approver}`,
    });
  } catch (err) {
    if (!(err instanceof UndoError)) throw err;
    return { ok: false, detail: err.message };
  }
  // Sent by the mailer (the site holds no right to send mail and never sees the review links): ids only.
  const due = undo.proposal.status === 'READY' && !undo.proposal.sentAt;
  if (due) await requestMail(deps, { kind: MailRequestKind.UNDO_PROPOSAL, proposalId: undo.proposal.proposalId });
  deps.logger.log('info', 'undo.asked', {
    proposalId: link.proposal.proposalId,
    undoProposalId: undo.proposal.proposalId,
    items: undo.items.length,
    tokenRef: link.tokenRef,
  });
  return { ok: true, undo, sent: due };
}

/** Items the page lists: executed changes, newest first. */
export const listed = (changes: readonly ProposalItem[]) =>
  [...changes]
    .filter((i) => i.state === ItemState.DONE)
    .sort((a, b) => (b.executedAt ?? '').localeCompare(a.executedAt ?? ''));
