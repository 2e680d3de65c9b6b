import { describe, expect, it } from 'vitest';
import {
  billedAccountsCsv,
  FinanceSettingsError,
  formatSeats,
  resolveFinanceSettings,
  SeatsQueryError,
  seatsRange,
  seatsReport,
  snapshotsCsv,
  type StoredSnapshot,
} from '../../lambdas/reports/index.js';
import { facts, financeWorld, PREMIUM, STANDARD } from '../helpers/reports.js';

const lines = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
const OLD: StoredSnapshot = {
  orgId: 'o',
  takenAt: '2026-03-01T23:30:00.000Z',
  runId: 'r0',
  managed: 9,
  active: 8,
  billable: 7,
  perPolicy: {},
  perProduct: {},
};

describe('billed accounts CSV', () => {
  it('has one row per billed account, with department and reason, formula cells defused', () => {
    const csv = billedAccountsCsv(
      [
        facts({
          accountId: 'a1',
          email: 'b@example.com',
          department: 'Sales',
          products: ['jira-software', 'confluence'],
        }),
        facts({ accountId: 'a2', email: 'a@example.com', department: '-1+1', name: '@SUM(A1)' }),
        facts({ accountId: 'a3', email: 'c@example.com', department: '+Ops', organization: '=cmd|"/c calc"!A1' }),
        facts({ accountId: 'a4', status: 'deactivated' }),
        facts({ accountId: 'a5', policyId: 'pol-free', products: ['confluence'] }),
      ],
      STANDARD,
    );
    const [header, ...rows] = lines(csv);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(header).toBe('account_id,email,name,department,organization,policy_id,products,reason,evidence');
    expect(rows.map((r) => r.split(',')[0]).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(rows.at(-1)!.startsWith('a1,')).toBe(true); // by department: Sales after the symbols
    const row = (id: string) => rows.find((r) => r.startsWith(`${id},`))!;
    expect(row('a3')).toContain(`,'+Ops,"'=cmd|""/c calc""!A1",pol-sso,`);
    expect(row('a2')).toContain(`,'@SUM(A1),'-1+1,`);
    expect(row('a1')).toContain(',pol-sso,confluence jira-software,BILLABLE_POLICY,');
  });

  it('follows the tier: Premium adds the nonbillable-policy Confluence user', () => {
    const accounts = [facts({ accountId: 'p1', policyId: 'pol-free', products: ['confluence'] })];
    expect(lines(billedAccountsCsv(accounts, STANDARD))).toHaveLength(1);
    expect(lines(billedAccountsCsv(accounts, PREMIUM))[1]).toMatch(
      /^p1,.*,PREMIUM_JIRA_CONFLUENCE,"?Billed on Guard Premium/,
    );
  });
});

describe('snapshots CSV and the seats table', () => {
  const world = financeWorld({ from: '2026-03-01', days: 8 });
  const snaps = [...world.snapshots].reverse();

  it('has one row per snapshot, oldest first, equal to the stored counts', () => {
    const [header, ...rows] = lines(snapshotsCsv(snaps, 'UTC'));
    expect(header!.split(',')).toHaveLength(19);
    expect(rows).toHaveLength(8);
    world.snapshots.forEach((s, i) => {
      const cells = rows[i]!.split(',');
      expect(cells.slice(0, 7)).toEqual([
        s.takenAt,
        s.takenAt.slice(0, 10),
        s.runId,
        'standard',
        String(s.managed),
        String(s.active),
        String(s.billable),
      ]);
      expect(cells.slice(14)).toEqual(
        [
          s.changes.deactivated,
          s.changes.movedToNonbillable,
          s.changes.movedToBillable,
          s.changes.seatsFreed,
          s.changes.seatsAdded,
        ].map(String),
      );
    });
  });

  it('leaves the finance columns empty for a plan snapshot of the older shape, dated in the zone', () => {
    const [, row] = lines(snapshotsCsv([OLD], 'Europe/Berlin'));
    expect(row).toBe('2026-03-01T23:30:00.000Z,2026-03-02,r0,,9,8,7,,,,,,,,,,,,');
  });

  it('prints an aligned table, numbers right-aligned', () => {
    const table = formatSeats(
      [OLD, { ...OLD, takenAt: '2026-03-02T02:00:00.000Z', billable: 1234, tier: 'premium' }],
      'table',
      'UTC',
    );
    expect(table).toBe(
      [
        'Taken at                  Day         Tier     Managed  Active  Billed  Deactivated  Nonbillable  Freed  Added',
        '------------------------  ----------  -------  -------  ------  ------  -----------  -----------  -----  -----',
        '2026-03-01T23:30:00.000Z  2026-03-01                 9       8       7',
        '2026-03-02T02:00:00.000Z  2026-03-02  premium        9       8    1234',
        '',
      ].join('\n'),
    );
    expect(formatSeats([], 'table', 'UTC')).toBe('No snapshots in this range.\n');
  });

  it('gives JSON as stored, oldest first', () => {
    expect(JSON.parse(formatSeats(snaps, 'json', 'UTC'))).toEqual(world.snapshots);
  });

  it('reads the range from the store and refuses a bad range or format', async () => {
    const source = world.deps(0).snapshots;
    const csv = await seatsReport(source, {
      orgId: 'org-1',
      from: '2026-03-02',
      to: '2026-03-04',
      format: 'csv',
      timeZone: 'UTC',
    });
    expect(csv).toBe(snapshotsCsv(world.snapshots.slice(1, 3), 'UTC'));
    await expect(
      seatsReport(source, {
        orgId: 'o',
        from: '2026-03-02',
        to: '2026-03-04',
        format: 'xml' as 'csv',
        timeZone: 'UTC',
      }),
    ).rejects.toThrow(/--format: expected table, csv or json \(received "xml"\)/);
    expect(() => seatsRange('yesterday', '2026-03-04')).toThrow(SeatsQueryError);
    expect(() => seatsRange('2026-03-04', '2026-03-04')).toThrow(/--to must be after --from/);
    expect(seatsRange('2026-03-01', '2026-03-02T12:00:00+02:00')).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T10:00:00.000Z',
    });
  });
});

describe('finance settings', () => {
  it('resolves the defaults around the fields the config has today', () => {
    expect(resolveFinanceSettings({ seatPrice: 4, currency: 'EUR' })).toEqual({
      recipients: [],
      seatPrice: 4,
      currency: 'EUR',
      tier: 'standard',
      billingDay: 1,
      timeZone: 'UTC',
      topDepartments: 8,
      chartPeriods: 6,
      landBeforeBillingDay: { enabled: false, windowDays: 14, marginDays: 1 },
    });
  });

  it.each([
    [{ billingDay: 31 }, 'billingDay', /finance\.billingDay: .*29-31 do not exist in every month\) \(received 31\)/],
    [{ tier: 'enterprise' }, 'tier', /expected "standard" or "premium" \(received "enterprise"\)/],
    [{ timeZone: 'Europe/Atlantis' }, 'timeZone', /IANA time zone/],
    [{ currency: 'usd' }, 'currency', /three-letter ISO 4217/],
    [{ recipients: ['finance'] }, 'recipients.0', /email address/],
  ])('refuses %j, naming the field', (bad, field, message) => {
    const run = () => resolveFinanceSettings({ seatPrice: 4, currency: 'EUR', ...bad });
    expect(run).toThrow(FinanceSettingsError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (e) {
      expect((e as FinanceSettingsError).field).toBe(field);
    }
  });
});
