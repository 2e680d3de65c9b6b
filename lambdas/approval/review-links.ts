import type { Config } from '../config/index.js';
import { ApprovalSetupError } from './errors.js';

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

/** A person's "keep my account" link (warn-before), served by the same site. */
export function keepLink(base: URL, proposalId: string, token: string): string {
  return `${base.href.replace(/\/+$/, '')}/keep/${encodeURIComponent(proposalId)}?t=${token}`;
}

/** An approver's "ask to undo" link of an executed proposal (in the results mail). */
export function undoLink(base: URL, proposalId: string, token: string): string {
  return `${base.href.replace(/\/+$/, '')}/undo/${encodeURIComponent(proposalId)}?t=${token}`;
}
