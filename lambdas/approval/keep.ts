/**
 * The "keep my account" link of warn-before. A person due to be deactivated after the grace period
 * keeps the account with the signed single-use link in the warning mail: GET shows what will
 * happen and writes nothing; POST moves the item APPROVED → SKIPPED (USER_KEPT) by a conditional
 * write (when the executor claimed it first, the executor wins and the person is told), then spends
 * the link, audits the keep and asks the mailer to tell the approvers. A repeated POST changes nothing.
 */
import { SkipReason } from '../domain/execution.js';
import { AuditEvent } from '../domain/audit.js';
import type { KeepToken } from '../domain/ballot.js';
import { StateConflictError } from '../domain/errors.js';
import { ItemState } from '../domain/item-states.js';
import type { ProposalItem } from '../domain/proposal.js';
import type { TokenStore } from '../domain/ports.js';
import type { Clock } from '../shared/clock.js';
import { executionStream } from '../execute/streams.js';
import { MailRequestKind, requestMail } from './mail-requests.js';
import type { ApprovalDeps } from './ports.js';
import { keepLink, reviewBase } from './review-links.js';
import { hashToken, isWellFormedToken, newToken, tokenRef } from './tokens.js';
import type { Config } from '../config/index.js';

export type KeepDeps = Pick<ApprovalDeps, 'config' | 'proposals' | 'tokens' | 'clock'>;

/** Issues one item's keep link, valid until `expiresAtMs` (the deactivation date). */
export function keepLinkIssuer(config: Config, tokens: Pick<TokenStore, 'putLink'>, clock: Clock) {
  const base = reviewBase(config);
  return async (item: Pick<ProposalItem, 'proposalId' | 'accountId'>, expiresAtMs: number): Promise<string> => {
    const token = newToken();
    await tokens.putLink('KEEP', {
      tokenHash: hashToken(token),
      proposalId: item.proposalId,
      accountId: item.accountId,
      issuedAt: new Date(clock.now()).toISOString(),
      expiresAt: Math.floor(expiresAtMs / 1000),
    });
    return keepLink(base, item.proposalId, token);
  };
}

export const isKept = (item: ProposalItem): boolean =>
  item.state === ItemState.SKIPPED && item.outcomeCode === SkipReason.USER_KEPT;

export type KeepLink =
  | { readonly ok: true; readonly token: KeepToken; readonly tokenRef: string; readonly item: ProposalItem }
  /** `invalid`: unknown, malformed or another proposal's (a stranger learns nothing); `expired`: past the date. */
  | { readonly ok: false; readonly why: 'invalid' | 'expired'; readonly detail: string; readonly item?: ProposalItem };

/** Checks a presented keep link, reading only. A kept account's link keeps showing "kept" after the date. */
export async function checkKeepLink(
  deps: KeepDeps,
  proposalId: string,
  presented: string | undefined,
): Promise<KeepLink> {
  if (!isWellFormedToken(presented))
    return { ok: false, why: 'invalid', detail: presented ? 'malformed token' : 'no token' };
  const hash = hashToken(presented);
  const token = await deps.tokens.getLink('KEEP', hash);
  if (!token) return { ok: false, why: 'invalid', detail: 'unknown token' };
  if (token.proposalId !== proposalId) return { ok: false, why: 'invalid', detail: 'token of another proposal' };
  const item = await deps.proposals.item(token.proposalId, token.accountId);
  if (!item) return { ok: false, why: 'invalid', detail: 'item missing' };
  if (!isKept(item) && deps.clock.now() >= token.expiresAt * 1000)
    return {
      ok: false,
      why: 'expired',
      detail: `the link expired at ${new Date(token.expiresAt * 1000).toISOString()}`,
      item,
    };
  return { ok: true, token, tokenRef: tokenRef(hash), item };
}

export type KeepResult =
  | { readonly kind: 'kept' | 'already-kept'; readonly item: ProposalItem }
  /** The item is no longer waiting (being acted on, done, skipped for another reason). */
  | { readonly kind: 'too-late'; readonly item: ProposalItem };

/** Keeps the account of a checked link. */
export async function keepAccount(deps: ApprovalDeps, link: KeepLink & { ok: true }): Promise<KeepResult> {
  const { item, token } = link;
  if (isKept(item)) return { kind: 'already-kept', item };
  if (item.state !== ItemState.APPROVED) return { kind: 'too-late', item };
  const at = new Date(deps.clock.now()).toISOString();
  try {
    await deps.proposals.moveItemFrom(item.proposalId, item.accountId, ItemState.APPROVED, ItemState.SKIPPED, {
      outcomeCode: SkipReason.USER_KEPT,
      outcomeMessage: 'The person kept the account with the link in the warning mail.',
      executedAt: at,
    });
  } catch (err) {
    if (!(err instanceof StateConflictError)) throw err;
    const now = (await deps.proposals.item(item.proposalId, item.accountId)) ?? item;
    return isKept(now) ? { kind: 'already-kept', item: now } : { kind: 'too-late', item: now };
  }
  await deps.tokens.spendLink('KEEP', token.tokenHash, at);
  await deps.audit.append(executionStream(item.proposalId), [
    {
      event: AuditEvent.ACCOUNT_KEPT,
      actor: `person:${item.email ?? item.accountId}`,
      proposalId: item.proposalId,
      accountId: item.accountId,
      action: item.action,
      outcome: SkipReason.USER_KEPT,
      details: { tokenRef: link.tokenRef, ...(item.notBefore && { notBefore: item.notBefore }) },
    },
  ]);
  const kept = { ...item, state: ItemState.SKIPPED, outcomeCode: SkipReason.USER_KEPT, executedAt: at } as ProposalItem;
  try {
    // The approvers' notice is sent by the mailer (the site holds no right to send mail): ids only.
    await requestMail(deps, {
      kind: MailRequestKind.KEEP_NOTICE,
      proposalId: item.proposalId,
      accountId: item.accountId,
    });
  } catch (err) {
    // The keep stands (it is stored and audited); only the courtesy mail is lost, and the results mail lists it.
    deps.logger.log('warn', 'keep.mail-failed', { proposalId: item.proposalId, error: (err as Error).message });
  }
  deps.logger.log('info', 'keep.kept', { proposalId: item.proposalId, accountId: item.accountId });
  return { kind: 'kept', item: kept };
}
