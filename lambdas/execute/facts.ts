/**
 * Reads one chunk's accounts again, in bulk, with the reads the plan uses: users search by email
 * (100 per request; by account id, 10 per request, for the few whose email is hidden) and the
 * policy bulk fetch (100 per request), and the org's admin list (`orgAdmins`: by default read here;
 * a chunk passes the run's list, org-admins.ts). About 2 requests per 100 items; never one call per user.
 */
import type { ManagedAccount } from '../atlassian/types.js';
import { EmailJoin, type EntraMembership } from '../entra/index.js';
import { entraFacts } from '../plan/entra-facts.js';
import type { ProposalItem } from '../domain/index.js';
import type { OrgWriter } from './ports.js';
import type { FreshFacts } from './recheck.js';

export async function readFacts(
  org: OrgWriter,
  membership: EntraMembership,
  items: readonly ProposalItem[],
  orgAdmins: () => Promise<Set<string>> = () => org.orgAdminIds(),
): Promise<Map<string, FreshFacts>> {
  const emails = [...new Set(items.flatMap((i) => (i.email ? [i.email.toLowerCase()] : [])))];
  const hidden = items.filter((i) => !i.email).map((i) => i.accountId);
  const found: ManagedAccount[] = [];
  if (emails.length > 0) found.push(...(await org.accountsByEmail(emails)));
  if (hidden.length > 0) found.push(...(await org.accountsById(hidden)));
  const byId = new Map(found.map((a) => [a.accountId, a]));
  const policies = new Map<string, string>();
  const ids = items.map((i) => i.accountId).filter((id) => byId.has(id));
  if (ids.length > 0)
    for (const p of await org.policyAssignments(ids)) if (p.accountId) policies.set(p.accountId, p.policyId);
  // Checked for every chunk: an admin whose listing shows no role is still found (issue 14, finding 3).
  const admins = ids.length > 0 ? await orgAdmins() : new Set<string>();
  const join = new EmailJoin(membership);
  const out = new Map<string, FreshFacts>();
  for (const item of items) {
    const account = byId.get(item.accountId);
    out.set(item.accountId, {
      account,
      policyId: policies.get(item.accountId),
      onOrgAdminList: admins.has(item.accountId),
      entra: account ? entraFacts(join, membership, account) : undefined,
    });
  }
  return out;
}
