/**
 * The org's accounts as finance sees them: the v2 listing, page by page, joined with the policy bulk
 * read. The next page is listed while the current page's policies are read (read-ahead.ts): the two
 * are different rate-limit classes, so a full count goes at the pace of one class, not of the two
 * round trips one after another.
 */
import type { AtlassianClient } from '../atlassian/index.js';
import { readAhead } from '../shared/read-ahead.js';
import type { AccountFacts } from '../reports/billing.js';
import { accountFacts } from '../reports/facts.js';
import type { AccountFactsSource } from '../reports/ports.js';

export class OrgAccountFacts implements AccountFactsSource {
  constructor(private readonly org: Pick<AtlassianClient, 'pages' | 'policyAssignments'>) {}

  async *accounts(_orgId?: string, signal?: AbortSignal): AsyncGenerator<AccountFacts> {
    for await (const page of readAhead(untilAborted(this.org.pages({ listing: 'v2' }), signal))) {
      signal?.throwIfAborted();
      const ids = page.accounts.map((a) => a.accountId);
      const policies = ids.length > 0 ? await this.org.policyAssignments(ids) : [];
      const byId = new Map<string, string>();
      const byEmail = new Map<string, string>();
      for (const p of policies) {
        if (p.accountId) byId.set(p.accountId, p.policyId);
        byEmail.set(p.email.toLowerCase(), p.policyId);
      }
      for (const a of page.accounts)
        yield accountFacts(a, byId.get(a.accountId) ?? (a.email ? byEmail.get(a.email.toLowerCase()) : undefined));
    }
  }
}

/** The pages until `signal` is aborted: checked before each next page is asked for (read ahead or not). */
async function* untilAborted<T>(pages: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  signal?.throwIfAborted();
  for await (const page of pages) {
    yield page;
    signal?.throwIfAborted();
  }
}
