import type { Config } from '../config/index.js';
import type { ProposalMeta } from '../domain/proposal.js';

const HOUR = 3_600_000;

/**
 * Epoch ms after which an undecided proposal expires: its `expiresAt` (set when sent), or, for a
 * READY proposal whose email never went out, `tokenLifetimeHours` after it was completed.
 */
export function deadlineOf(proposal: ProposalMeta, config: Config): number {
  if (proposal.expiresAt) return Date.parse(proposal.expiresAt);
  return Date.parse(proposal.completedAt ?? proposal.createdAt) + config.approval.tokenLifetimeHours * HOUR;
}

export const lifetimeMs = (config: Config): number => config.approval.tokenLifetimeHours * HOUR;
