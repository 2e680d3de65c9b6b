import { createHash } from 'node:crypto';

/**
 * A proposal's content hash: sha256 over its items' (account, action) pairs in account order.
 * Approvals are bound to it, so a proposal changed after its email was sent cannot be approved
 * with that email's links.
 */
export function contentHash(items: Iterable<{ readonly accountId: string; readonly action: string }>): string {
  const lines = [...items].map((i) => `${i.accountId}\t${i.action}`).sort();
  const h = createHash('sha256');
  for (const line of lines) h.update(line).update('\n');
  return h.digest('hex');
}
