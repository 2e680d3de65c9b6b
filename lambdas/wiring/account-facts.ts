/** The org's accounts as finance sees them: the v2 listing, page by page, joined with the policy bulk read. */
import type { AtlassianClient } from '../atlassian/index.js';
import type { AccountFacts } from '../reports/billing.js';
import { accountFacts } from '../reports/facts.js';
import type { AccountFactsSource } from '../reports/ports.js';

export class OrgAccountFacts implements AccountFactsSource {
  constructor(private readonly org: Pick<AtlassianClient, 'pages' | 'policyAssignments'>) {}

  async *accounts(): AsyncGenerator<AccountFacts> {
    for await (const page of this.org.pages({ listing: 'v2' })) {
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
