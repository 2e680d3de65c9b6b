import type { Config } from '../config/index.js';
import { ApprovalSetupError } from './errors.js';
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

/** The review site's base URL (no trailing slash), required to send links and check origins. */
export function reviewBase(config: Config): URL {
  const raw = config.approval.reviewBaseUrl;
  if (!raw) {
    throw new ApprovalSetupError(
      'approval.reviewBaseUrl is not set: set it to the review URL (the Lambda Function URL on AWS, the local approval server URL locally); links and the CSRF origin check need it.',
    );
  }
  return new URL(raw.replace(/\/+$/, ''));
}

/** The personal review link of one token. */
export function reviewLink(base: URL, proposalId: string, token: string): string {
  return `${base.href.replace(/\/+$/, '')}/review/${encodeURIComponent(proposalId)}?t=${token}`;
}
