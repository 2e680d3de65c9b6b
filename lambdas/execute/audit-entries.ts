/** The audit records of execution, built in one place so every step reads the same. */
import { AuditEvent, type AuditEntry } from '../domain/index.js';
import type { ProposalItem } from '../domain/index.js';
import { SYSTEM_EXECUTOR } from './streams.js';

export const intentEntry = (item: ProposalItem, call: string): AuditEntry => ({
  event: AuditEvent.INTENT,
  actor: SYSTEM_EXECUTOR,
  proposalId: item.proposalId,
  accountId: item.accountId,
  action: item.action,
  outcome: 'calling',
  details: { call },
});

export const resultEntry = (
  item: ProposalItem,
  outcome: string,
  details: Record<string, unknown>,
  event: AuditEvent = AuditEvent.RESULT,
): AuditEntry => ({
  event,
  actor: SYSTEM_EXECUTOR,
  proposalId: item.proposalId,
  accountId: item.accountId,
  action: item.action,
  outcome,
  details,
});
