/**
 * Warn before deactivating (`execution.warnBeforeDays`, default 7; 0 turns it off): each person an
 * approved DEACTIVATE item names is mailed once, when and why, and how to keep the account (use any
 * product before the date, or follow the "keep my account" link). Their items wait until the date;
 * moves, reactivations and SCIM-synced accounts (handed off, never deactivated here) run at once.
 */
import pLimit from 'p-limit';
import { ActionKind } from '../config/index.js';
import { AuditEvent } from '../domain/index.js';
import { ItemState, StateConflictError } from '../domain/index.js';
import type { ProposalItem } from '../domain/index.js';
import { resultEntry } from './audit-entries.js';
import type { ExecDeps } from './ports.js';
import { executionStream } from './streams.js';

const DAY_MS = 86_400_000;

export interface Triage {
  /** APPROVED items due now and IN_FLIGHT items (to reconcile). */
  readonly due: ProposalItem[];
  /** APPROVED deactivations inside their grace period. */
  readonly waiting: ProposalItem[];
  readonly resumeAt?: string;
}

export async function warnOrWait(deps: ExecDeps, items: readonly ProposalItem[]): Promise<Triage> {
  const now = deps.clock.now();
  const graceMs = deps.config.execution.warnBeforeDays * DAY_MS;
  const due: ProposalItem[] = [];
  const waiting: ProposalItem[] = [];
  const toWarn: ProposalItem[] = [];
  for (const item of items) {
    const notBefore = item.notBefore;
    if (item.state === ItemState.IN_FLIGHT) due.push(item);
    else if (item.state !== ItemState.APPROVED) continue;
    // A date already announced to the person holds, even if the setting was lowered since.
    else if (notBefore !== undefined) (Date.parse(notBefore) <= now ? due : waiting).push(item);
    // A SCIM-synced account is handed to the Entra admin, never deactivated here: nobody to warn.
    else if (item.action !== ActionKind.DEACTIVATE || graceMs === 0 || item.evidence.managementSource === 'synced')
      due.push(item);
    else toWarn.push(item);
  }
  if (toWarn.length > 0) waiting.push(...(await warn(deps, toWarn, now + graceMs)));
  const times = waiting.map((w) => Date.parse((w as { notBefore?: string }).notBefore!));
  return { due, waiting, ...(times.length > 0 && { resumeAt: new Date(Math.min(...times)).toISOString() }) };
}

/** Mails each person once, audits it, then records the date on the item (a crash before that re-mails, never skips the warning). */
async function warn(deps: ExecDeps, items: readonly ProposalItem[], notBeforeMs: number): Promise<ProposalItem[]> {
  const notBefore = new Date(notBeforeMs).toISOString();
  const warnedAt = new Date(deps.clock.now()).toISOString();
  const limit = pLimit(8);
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (!item.email) return;
        const keepUrl = deps.keepLink ? await deps.keepLink(item, notBeforeMs) : undefined;
        await deps.mail.warn(item, notBefore, keepUrl);
      }),
    ),
  );
  const entries = items.map((item) =>
    resultEntry(
      item,
      item.email ? 'warned' : 'not-warned',
      { notBefore, ...(!item.email && { why: 'email hidden: nobody could be warned' }) },
      AuditEvent.WARNING_SENT,
    ),
  );
  await deps.audit.append(executionStream(items[0]!.proposalId), entries);
  const still = new Set<string>();
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        try {
          await deps.proposals.annotateItem(item.proposalId, item.accountId, ItemState.APPROVED, {
            notBefore,
            ...(item.email && { warnedAt }),
          });
          still.add(item.accountId);
        } catch (err) {
          // Kept already (the person followed the link at once): it no longer waits.
          if (!(err instanceof StateConflictError)) throw err;
        }
      }),
    ),
  );
  return items.filter((i) => still.has(i.accountId)).map((item) => ({ ...item, notBefore }) as ProposalItem);
}
