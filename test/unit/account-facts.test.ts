import { describe, expect, it } from 'vitest';
import type { AccountPage } from '../../lambdas/atlassian/client.js';
import type { ManagedAccount, PolicyAssignment } from '../../lambdas/atlassian/types.js';
import { countAccounts } from '../../lambdas/reports/record.js';
import { OrgAccountFacts } from '../../lambdas/wiring/account-facts.js';
import { STANDARD } from '../helpers/reports.js';

const account = (id: string, email?: string): ManagedAccount => ({
  accountId: id,
  ...(email && { email }),
  name: id,
  accountType: 'atlassian',
  accountStatus: 'active',
  products: [{ key: 'confluence' }],
});

/**
 * An org of `pages` pages of two accounts, where every listing and policy read takes `ms` and the
 * events are logged in order ("list 1 start", "policy 0 end", ...).
 */
function fakeOrg(pages: number, ms = 20, o: { failListingAt?: number; policyMs?: number } = {}) {
  const events: string[] = [];
  const sleep = (t = ms) => new Promise((r) => setTimeout(r, t));
  const pageOf = (n: number) => [account(`a${n}`, `A${n}@Example.com`), account(`b${n}`)];
  const org = {
    async *pages(): AsyncGenerator<AccountPage> {
      for (let n = 0; n < pages; n++) {
        events.push(`list ${n} start`);
        await sleep();
        if (n === o.failListingAt) throw new Error(`listing page ${n} failed`);
        events.push(`list ${n} end`);
        yield { accounts: pageOf(n), ...(n + 1 < pages && { nextCursor: `c${n + 1}` }) };
      }
    },
    async policyAssignments(ids: readonly string[]): Promise<PolicyAssignment[]> {
      const n = ids[0]!.slice(1);
      events.push(`policy ${n} start`);
      await sleep(o.policyMs ?? ms);
      events.push(`policy ${n} end`);
      // a: matched by email only (the bulk read left the id out), b: by id.
      return [
        { email: `a${n}@example.com`, policyId: 'billable' },
        { accountId: `b${n}`, email: `b${n}@example.com`, policyId: 'free' },
      ];
    },
  };
  return { org, events };
}

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('OrgAccountFacts (the finance listing)', () => {
  it('joins each account with its policy, by account id or else by email (case-insensitive)', async () => {
    const { org } = fakeOrg(2, 1);
    const facts = await collect(new OrgAccountFacts(org).accounts());
    expect(facts.map((f) => [f.accountId, f.policyId])).toEqual([
      ['a0', 'billable'],
      ['b0', 'free'],
      ['a1', 'billable'],
      ['b1', 'free'],
    ]);
  });

  it('lists the next page while the current page’s policies are read (two rate-limit classes at once)', async () => {
    const { org, events } = fakeOrg(4);
    await collect(new OrgAccountFacts(org).accounts());
    // Page 1 is being listed before page 0's policy read has ended.
    expect(events.indexOf('list 1 start')).toBeLessThan(events.indexOf('policy 0 end'));
    for (let n = 1; n < 4; n++)
      expect(events.indexOf(`list ${n} start`), `page ${n}`).toBeLessThan(events.indexOf(`policy ${n - 1} end`));
  });

  it('a failed listing page surfaces to the counter after the pages before it were counted', async () => {
    const { org } = fakeOrg(3, 1, { failListingAt: 2 });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const f of new OrgAccountFacts(org).accounts()) seen.push(f.accountId);
      })(),
    ).rejects.toThrow('listing page 2 failed');
    expect(seen).toEqual(['a0', 'b0', 'a1', 'b1']);
  });

  it('no request starts once the count is aborted (the ones under way end)', async () => {
    // Listing pages is slow and policy reads fast: the abort comes while the next page is awaited.
    const { org, events } = fakeOrg(10, 20, { policyMs: 2 });
    const ac = new AbortController();
    const counting = countAccounts({ accounts: new OrgAccountFacts(org) }, { orgId: 'o', rule: STANDARD }, ac.signal);
    await new Promise((r) => setTimeout(r, 30));
    const startedBefore = events.filter((e) => e.endsWith('start')).length;
    ac.abort(new Error('finish failed'));
    await expect(counting).rejects.toThrow('finish failed');
    expect(events.filter((e) => e.endsWith('start')).length).toBe(startedBefore);
  });

  it('an aborted count reads no page beyond the one read ahead, and leaves no read running', async () => {
    const { org, events } = fakeOrg(10, 5);
    const ac = new AbortController();
    const counting = countAccounts({ accounts: new OrgAccountFacts(org) }, { orgId: 'o', rule: STANDARD }, ac.signal);
    await new Promise((r) => setTimeout(r, 12));
    ac.abort(new Error('finish failed'));
    await expect(counting).rejects.toThrow('finish failed');
    const listed = events.filter((e) => e.endsWith('start') && e.startsWith('list')).length;
    expect(listed).toBeLessThan(10);
    // Every read that started has ended by the time the count rejected.
    const starts = events.filter((e) => e.endsWith('start')).length;
    const ends = events.filter((e) => e.endsWith('end')).length;
    expect(ends).toBe(starts);
  });
});
