import { describe, expect, expectTypeOf, it } from 'vitest';
import { buildSnapshot, SnapshotCounter, topDepartments, type FinanceSnapshot } from '../../lambdas/reports/index.js';
import type { SeatSnapshot } from '../../lambdas/domain/snapshot.js';
import { change, facts, POLICIES, PREMIUM, STANDARD } from '../helpers/reports.js';

const ORG = [
  facts({ department: 'Engineering', products: ['jira-software', 'confluence'] }),
  facts({ department: 'Engineering' }),
  facts({ department: 'Sales', products: ['confluence'] }),
  facts({ department: ' ', products: ['trello'] }),
  facts({ department: 'Sales', policyId: POLICIES.nonbillableId, products: ['confluence'] }),
  facts({ department: 'Support', policyId: POLICIES.nonbillableId, products: ['jira-servicedesk'] }),
  facts({ department: 'Sales', status: 'deactivated' }),
  facts({ department: 'Sales', status: 'suspended' }),
  facts({ department: 'Legal', products: [] }),
  facts({ department: 'Legal', policyId: undefined, products: ['confluence'] }),
  facts({ department: 'Legal', policyId: 'pol-contractors', products: ['bitbucket'] }),
];
const META = { orgId: 'org-1', runId: 'run-1', takenAt: '2026-03-10T02:00:00Z', topDepartments: 2 };

describe('buildSnapshot', () => {
  it('counts managed, active, billable, policies and products under Standard', () => {
    const s = buildSnapshot(ORG, STANDARD, META);
    expect(s).toMatchObject({
      version: 1,
      tier: 'standard',
      orgId: 'org-1',
      runId: 'run-1',
      takenAt: '2026-03-10T02:00:00Z',
      managed: 11,
      active: 9,
      billable: 4,
      deactivated: 1,
      suspended: 1,
      billableUnknown: 2,
      perPolicy: { 'pol-sso': 5, 'pol-free': 2, unknown: 1, 'pol-contractors': 1 },
      perProduct: { 'jira-software': 2, confluence: 4, trello: 1, 'jira-servicedesk': 1, bitbucket: 1 },
      byPolicyClass: { billable: 5, nonbillable: 2, other: 1, unknown: 1 },
      billedByPolicyClass: { billable: 4, nonbillable: 0, other: 0, unknown: 0 },
    });
    expect(s.byReason).toEqual({
      BILLABLE_POLICY: 4,
      PREMIUM_JIRA_CONFLUENCE: 0,
      NONBILLABLE_POLICY: 2,
      DEACTIVATED: 1,
      SUSPENDED: 1,
      NO_PRODUCT_ACCESS: 1,
      UNKNOWN_POLICY: 2,
    });
  });

  it('counts the Premium-only billed accounts under Premium', () => {
    const s = buildSnapshot(ORG, PREMIUM, META);
    expect(s.billable).toBe(6);
    expect(s.billableUnknown).toBe(1);
    expect(s.billedByPolicyClass).toEqual({ billable: 4, nonbillable: 1, other: 0, unknown: 1 });
    expect(s.byReason.PREMIUM_JIRA_CONFLUENCE).toBe(2);
  });

  it('groups billed seats by department: the largest, then Other, blank as (none)', () => {
    expect(buildSnapshot(ORG, STANDARD, META).byDepartment).toEqual({ Engineering: 2, '(none)': 1, Other: 1 });
    expect(buildSnapshot(ORG, PREMIUM, { ...META, topDepartments: 5 }).byDepartment).toEqual({
      Engineering: 2,
      Sales: 2,
      '(none)': 1,
      Legal: 1,
    });
  });

  it('counts the changes executed after the previous snapshot up to this one', () => {
    const changes = [
      change({ executedAt: '2026-03-09T02:00:00Z' }), // at the previous snapshot: already counted there
      change({ executedAt: '2026-03-09T02:00:01Z' }),
      change({ executedAt: '2026-03-10T02:00:00Z', action: 'MOVE_TO_NONBILLABLE' }),
      change({ executedAt: '2026-03-10T02:00:01Z' }), // after this snapshot
    ];
    const s = buildSnapshot([], STANDARD, { ...META, previous: { takenAt: '2026-03-09T02:00:00Z' }, changes });
    expect(s.changes).toEqual({
      deactivated: 1,
      movedToNonbillable: 1,
      movedToBillable: 0,
      seatsFreed: 2,
      seatsAdded: 0,
      unknownEffect: 0,
    });
    expect(s.changesSince).toBe('2026-03-09T02:00:00Z');
    const first = buildSnapshot([], STANDARD, { ...META, changes });
    expect(first.changes.deactivated).toBe(2);
    expect('changesSince' in first).toBe(false);
  });

  it('is a superset of the plan seat snapshot, so the stored ones can be extended', () => {
    expectTypeOf<FinanceSnapshot>().toExtend<SeatSnapshot>();
    const s: SeatSnapshot = buildSnapshot(ORG, STANDARD, META);
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['orgId', 'takenAt', 'runId', 'managed', 'active', 'billable', 'perPolicy', 'perProduct']),
    );
  });

  it('streams: the counter gives the same snapshot as the list', () => {
    const c = new SnapshotCounter(STANDARD);
    ORG.forEach((a) => c.add(a));
    expect(c.snapshot(META)).toEqual(buildSnapshot(ORG, STANDARD, META));
  });
});

describe('topDepartments', () => {
  it('breaks ties by name and sums the rest', () => {
    expect(topDepartments({ b: 3, a: 3, c: 5, d: 1, e: 1 }, 3)).toEqual({ c: 5, a: 3, b: 3, Other: 2 });
    expect(Object.keys(topDepartments({ b: 3, a: 3, c: 5 }, 3))).toEqual(['c', 'a', 'b']);
    expect(topDepartments({ a: 1 }, 3)).toEqual({ a: 1 });
  });

  it('adds the rest to a department really called Other', () => {
    expect(topDepartments({ Other: 4, a: 3, b: 1 }, 2)).toEqual({ Other: 5, a: 3 });
  });
});
