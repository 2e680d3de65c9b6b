import { describe, expect, it } from 'vitest';
import {
  changeFromItem,
  ExecutionFinanceRecorder,
  recordSnapshot,
  reportAsOf,
  SnapshotCounter,
  type ExecutedChange,
  type FinanceSnapshot,
  type StoredSnapshot,
} from '../../lambdas/reports/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { countAccounts } from '../../lambdas/reports/record.js';
import { facts, POLICIES, STANDARD } from '../helpers/reports.js';

const item = (over: Partial<ProposalItem>): ProposalItem =>
  ({
    proposalId: 'p-1',
    accountId: 'a-1',
    action: 'DEACTIVATE',
    reason: 'STALE',
    summary: '',
    evidence: { policyId: POLICIES.billableId, products: [{ key: 'jira-software' }, { key: 'confluence' }] },
    state: 'DONE',
    executedAt: '2026-11-04T03:00:00.000Z',
    updatedAt: '2026-11-04T03:00:00.000Z',
    ...over,
  }) as ProposalItem;

describe('changeFromItem', () => {
  it('turns a DONE item into the change it made, with the account as the plan read it', () => {
    expect(changeFromItem(item({}))).toEqual({
      accountId: 'a-1',
      action: 'DEACTIVATE',
      executedAt: '2026-11-04T03:00:00.000Z',
      proposalId: 'p-1',
      before: { status: 'active', policyId: POLICIES.billableId, products: ['jira-software', 'confluence'] },
    });
    expect(changeFromItem(item({ action: 'REACTIVATE' }))?.before.status).toBe('deactivated');
  });

  it('ignores items not carried out, and items without an execution time', () => {
    for (const state of ['SKIPPED', 'FAILED', 'HANDED_OFF', 'APPROVED'] as const)
      expect(changeFromItem(item({ state }))).toBeUndefined();
    expect(changeFromItem(item({ executedAt: undefined }))).toBeUndefined();
  });

  it('leaves the policy out when the evidence has none (the seat effect is then unknown)', () => {
    expect(changeFromItem(item({ evidence: { products: 'garbage' } }))?.before).toEqual({
      status: 'active',
      products: [],
    });
  });
});

describe('recordSnapshot', () => {
  const at = (iso: string) => ({ now: () => Date.parse(iso) });
  const change = (executedAt: string): ExecutedChange => ({
    accountId: `c-${executedAt}`,
    action: 'DEACTIVATE',
    executedAt,
    before: { status: 'active', policyId: POLICIES.billableId, products: ['jira-software'] },
  });
  const store = (previous?: StoredSnapshot) => {
    const put: FinanceSnapshot[] = [];
    return { put, store: { put: async (s: FinanceSnapshot) => void put.push(s), latest: async () => previous } };
  };
  const changes = (all: ExecutedChange[]) => ({
    async *between(_o: string, from: string, to: string) {
      for (const c of all) if (c.executedAt >= from && c.executedAt < to) yield c;
    },
  });
  const counter = () => {
    const c = new SnapshotCounter(STANDARD);
    c.add(facts());
    c.add(facts({ status: 'deactivated' }));
    return c;
  };

  it('counts the changes after the previous snapshot up to now, its own instant included', async () => {
    const s = store({ orgId: 'o', takenAt: '2026-11-04T02:00:00.000Z' } as StoredSnapshot);
    const all = ['2026-11-04T02:00:00.000Z', '2026-11-04T03:00:00.000Z', '2026-11-05T02:00:00.000Z'].map(change);
    all.push(change('2026-11-05T02:00:00.001Z'));
    const snap = await recordSnapshot(
      { store: s.store, changes: changes(all), clock: at('2026-11-05T02:00:00.000Z') },
      counter(),
      { orgId: 'o', runId: 'r', topDepartments: 3 },
    );
    expect(snap).toMatchObject({ takenAt: '2026-11-05T02:00:00.000Z', changesSince: '2026-11-04T02:00:00.000Z' });
    expect(snap.changes).toMatchObject({ deactivated: 2, seatsFreed: 2 });
    expect(snap).toMatchObject({ managed: 2, active: 1, billable: 1, deactivated: 1 });
    expect(s.put).toEqual([snap]);
  });

  it('counts no changes in the first snapshot of an org', async () => {
    const s = store();
    const snap = await recordSnapshot(
      { store: s.store, changes: changes([change('2026-11-01T00:00:00.000Z')]), clock: at('2026-11-05T02:00:00Z') },
      counter(),
      { orgId: 'o', runId: 'r', topDepartments: 3 },
    );
    expect(snap.changes.deactivated).toBe(0);
    expect(snap.changesSince).toBeUndefined();
  });
});

describe('reportAsOf', () => {
  const cycle = { billingDay: 15, timeZone: 'Europe/Berlin' };
  const now = Date.parse('2026-11-20T10:00:00Z');

  it('is now without a month, and now for the period still running', () => {
    expect(reportAsOf(undefined, now, cycle)).toBe(now);
    expect(reportAsOf('2026-11', now, cycle)).toBe(now);
  });

  it('is the last moment of a past period, in the billing zone', () => {
    expect(new Date(reportAsOf('2026-10', now, cycle)).toISOString()).toBe('2026-11-14T22:59:59.999Z');
  });

  it('refuses a malformed month and a period not begun yet, saying how to fix it', () => {
    expect(() => reportAsOf('2026-13', now, cycle)).toThrow(/--month: expected a month like 2026-03/);
    expect(() => reportAsOf('Nov', now, cycle)).toThrow(/received "Nov"/);
    expect(() => reportAsOf('2026-12', now, cycle)).toThrow(/starts on 2026-12-15, which has not begun yet/);
  });
});

describe('the count after an execution', () => {
  const PER_PAGE = 10;
  /** An org listing of `pages` pages that counts the pages it was asked for, and moves the clock on per page. */
  function listing(pages: number, clock: { t: number }) {
    const read = { pages: 0 };
    const accounts = {
      async *accounts() {
        for (let p = 0; p < pages; p++) {
          read.pages++;
          clock.t += 1_000;
          for (let i = 0; i < PER_PAGE; i++) yield facts({ accountId: `a-${p}-${i}` });
        }
      },
    };
    return { read, accounts };
  }

  it('stops reading pages once it is told to stop', async () => {
    const clock = { t: 0 };
    const { read, accounts } = listing(5, clock);
    const stop = new AbortController();
    let seen = 0;
    const counting = countAccounts(
      {
        accounts: {
          async *accounts(orgId: string) {
            for await (const a of accounts.accounts()) {
              if (++seen === 12) stop.abort(new Error('the finish step failed'));
              yield a;
              void orgId;
            }
          },
        },
      },
      { orgId: 'o', rule: STANDARD },
      stop.signal,
    );
    await expect(counting).rejects.toThrow('the finish step failed');
    expect(read.pages).toBe(2);
  });

  it('counts every account when not stopped, and records the snapshot at the time the listing ended', async () => {
    const clock = { t: Date.parse('2026-11-04T04:00:00.000Z') };
    const { accounts } = listing(3, clock);
    const stored: FinanceSnapshot[] = [];
    const recorder = new ExecutionFinanceRecorder(
      {
        accounts,
        log: { put: async () => undefined, async *between() {} },
        store: { put: async (s: FinanceSnapshot) => void stored.push(s) },
        clock: { now: () => clock.t },
      } as never,
      { orgId: 'o', topDepartments: 5, rule: STANDARD },
    );
    const counted = await recorder.count();
    const listingEnded = clock.t;
    clock.t += 60_000; // the finish step writes and mails before it records the snapshot
    await counted.record('exec-p-1-main');
    expect(stored).toHaveLength(1);
    expect(stored[0]!.managed).toBe(30);
    expect(stored[0]!.takenAt).toBe(new Date(listingEnded).toISOString());
  });
});
