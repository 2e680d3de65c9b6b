/**
 * What an Atlassian error means for one item. Definite answers about the account (already in the
 * target state, gone, managed by SCIM, refused) are facts to record on the item; anything that may
 * be temporary (throttling past its budget, 5xx, a lost connection, an expired key) is thrown, so the
 * step is retried and the item, left IN_FLIGHT with its intent, is reconciled by reading the account.
 */
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ScimManagedError,
  type AtlassianError,
} from '../atlassian/errors.js';
import { SkipReason } from '../domain/execution.js';

export type ErrorOutcome =
  | { readonly kind: 'skip'; readonly reason: SkipReason; readonly detail: string }
  | { readonly kind: 'handoff'; readonly detail: string }
  | { readonly kind: 'failed'; readonly code: string; readonly detail: string };

const codesOf = (err: AtlassianError) => err.errorCodes.map((c) => c.toLowerCase());

/** The item's outcome for a definite API answer; `undefined`: not definite, rethrow it. */
export function outcomeOfError(err: unknown): ErrorOutcome | undefined {
  if (err instanceof ConflictError) {
    const codes = codesOf(err);
    if (codes.some((c) => c.includes('already')) || /already (inactive|deactivated|active)/i.test(err.message))
      return { kind: 'skip', reason: SkipReason.ALREADY_IN_TARGET_STATE, detail: `Atlassian: ${err.message}` };
    if (codes.some((c) => c.includes('closed')))
      return { kind: 'skip', reason: SkipReason.ACCOUNT_GONE, detail: `Atlassian: ${err.message}` };
    return { kind: 'failed', code: err.errorCodes[0] ?? 'conflict', detail: err.message };
  }
  if (err instanceof NotFoundError)
    return { kind: 'skip', reason: SkipReason.ACCOUNT_GONE, detail: `Atlassian: ${err.message}` };
  if (err instanceof ScimManagedError) return { kind: 'handoff', detail: `Atlassian refused: ${err.message}` };
  if (err instanceof ForbiddenError) {
    const codes = codesOf(err);
    if (codes.some((c) => c.includes('scim')) || /scim|externalDirectory/i.test(err.message))
      return { kind: 'handoff', detail: `Atlassian refused: ${err.message}` };
    return { kind: 'failed', code: err.errorCodes[0] ?? 'forbidden', detail: err.message };
  }
  if (err instanceof BadRequestError)
    return { kind: 'failed', code: err.errorCodes[0] ?? 'bad-request', detail: err.message };
  return undefined;
}
