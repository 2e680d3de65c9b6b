import { describe, expect, it } from 'vitest';
import {
  buildMonthlyReport,
  CHART_CID,
  renderReportEmail,
  resolveFinanceSettings,
  sendMonthlyReport,
  summarize,
  type MonthlyReportOptions,
} from '../../lambdas/reports/index.js';
import { financeWorld, HOSTILE_DEPARTMENT, POLICIES, STANDARD } from '../helpers/reports.js';

const NOW = Date.parse('2026-05-18T07:00:00Z');
const SETTINGS = resolveFinanceSettings({
  recipients: ['finance@example.com'],
  seatPrice: 4.5,
  currency: 'USD',
  billingDay: 15,
  topDepartments: 3,
  chartPeriods: 4,
});
const OPTIONS: MonthlyReportOptions = {
  orgId: 'org-1',
  settings: SETTINGS,
  policies: POLICIES,
  from: 'lifecycle@example.com',
};
const text = (b: Uint8Array) => new TextDecoder().decode(b);

// 80 accounts, 68 billed at first; every 10 days from 6 Jan three billed seats are freed (two
// deactivations, one move to the nonbillable policy) at 10:00 UTC.
const world = financeWorld({ from: '2026-01-01', days: 140 });

describe('monthly report figures (billing day 15, 4.50 USD per seat)', () => {
  it('bills this period on the 15 May count and the next one on the latest count', async () => {
    const { summary } = await buildMonthlyReport(world.deps(NOW), OPTIONS);
    expect(summary.period.firstDay).toBe('2026-05-15');
    expect(summary.billedNow).toMatchObject({
      quantity: 68 - 3 * 13,
      takenAt: '2026-05-15T02:00:00.000Z',
      basis: 'first-in-period',
    });
    expect(summary.nextPeriod).toMatchObject({ quantity: 68 - 3 * 14, takenAt: '2026-05-18T02:00:00.000Z' });
    // The previous period was billed on the 15 April count (10 batches done): 38.
    expect(summary.changeOverMonth).toBe(26 - 38);
  });

  it('attributes savings from the period after each change, and adds up the year', async () => {
    const { summary } = await buildMonthlyReport(world.deps(NOW), OPTIONS);
    // 13 batches before 15 May save this period; the 16 May batch only from 15 June.
    expect(summary.savingsThisPeriod).toMatchObject({ seatsFreed: 39, amount: 175.5 });
    expect(summary.savingsNextPeriod).toMatchObject({ seatsFreed: 42, amount: 189 });
    // Periods of 2026: 15 Jan (3 seats), 15 Feb (12), 15 Mar (21), 15 Apr (30), 15 May (39).
    expect(summary.savingsYearToDate).toBe((3 + 12 + 21 + 30 + 39) * 4.5);
    expect(summary.executedThisPeriod).toMatchObject({ deactivated: 2, movedToNonbillable: 1, seatsFreed: 3 });
  });

  it('lists the largest departments of the latest snapshot, Other last', async () => {
    const { summary } = await buildMonthlyReport(world.deps(NOW), OPTIONS);
    const latest = world.snapshots.filter((s) => Date.parse(s.takenAt) <= NOW).at(-1)!;
    expect(Object.fromEntries(summary.departments)).toEqual(latest.byDepartment);
    expect(summary.departments.at(-1)![0]).toBe('Other');
  });
});

describe('monthly report email', () => {
  it('shows the chart inline by Content-ID and attaches it, with both CSVs', async () => {
    const { message } = await buildMonthlyReport(world.deps(NOW), OPTIONS);
    expect(message.from).toBe('lifecycle@example.com');
    expect(message.to).toEqual(['finance@example.com']);
    expect(message.subject).toBe('Guard seats, org-1: 29 billed this period → 26 next period (15 May – 14 Jun 2026)');
    const [inline, png, ...csvs] = message.attachments;
    expect(inline).toMatchObject({ contentType: 'image/png', disposition: 'inline', contentId: CHART_CID });
    expect(message.html).toContain(`src="cid:${CHART_CID}"`);
    expect(message.html).toContain('width="630" height="284"');
    expect(png).toMatchObject({
      contentType: 'image/png',
      disposition: 'attachment',
      filename: 'guard-seats-org-1-2026-05-18.png',
    });
    expect(Buffer.from(png!.content).equals(Buffer.from(inline!.content))).toBe(true);
    expect([...inline!.content.slice(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    expect(csvs.map((c) => [c.filename, c.disposition, c.contentType])).toEqual([
      ['guard-seats-org-1-2026-05-18-snapshots.csv', 'attachment', 'text/csv; charset=utf-8'],
      ['guard-seats-org-1-2026-05-18-billed-accounts.csv', 'attachment', 'text/csv; charset=utf-8'],
    ]);
    const snapshotLines = text(csvs[0]!.content).trim().split('\r\n');
    const inChart = world.snapshots.filter(
      (s) => s.takenAt >= '2026-02-15T00:00:00.000Z' && Date.parse(s.takenAt) <= NOW,
    );
    expect(snapshotLines).toHaveLength(1 + inChart.length);
    const billedLines = text(csvs[1]!.content).trim().split('\r\n');
    expect(billedLines).toHaveLength(1 + 26);
    expect(text(csvs[1]!.content)).toContain(`"'=HYPERLINK(""http://evil.example"",""<b>Finance</b>"")"`);
  });

  it('escapes directory data in the HTML and states the figures in both bodies', async () => {
    const { message } = await buildMonthlyReport(world.deps(NOW), OPTIONS);
    expect(message.html).not.toContain('<b>Finance</b>');
    expect(message.html).toContain('&lt;b&gt;Finance&lt;/b&gt;');
    for (const body of [message.html, message.text]) {
      expect(body).toContain('$175.50');
      expect(body).toContain('$189.00');
      expect(body).toContain('$472.50');
      expect(body).toContain('−12');
      expect(body).toContain('Savings start in the next period');
    }
    expect(message.text).toContain('Billed this period:            29 (count of 15 May 2026, 02:00 UTC)');
    expect(message.text).toContain(`  ${HOSTILE_DEPARTMENT}: `);
  });

  it('leaves out the billed-accounts CSV when no account source is wired', async () => {
    const { message } = await buildMonthlyReport(world.deps(NOW, false), OPTIONS);
    expect(message.attachments.map((a) => a.filename)).toEqual([
      'guard-seats-org-1-2026-05-18.png',
      'guard-seats-org-1-2026-05-18.png',
      'guard-seats-org-1-2026-05-18-snapshots.csv',
    ]);
    expect(message.text).toContain('Attached: guard-seats-org-1-2026-05-18-snapshots.csv, and the chart as a PNG.');
  });

  it('sends to the finance recipients, and sends nothing when there are none', async () => {
    const w = financeWorld({ from: '2026-04-01', days: 30 });
    const now = Date.parse('2026-04-30T12:00:00Z');
    const sent = await sendMonthlyReport(w.deps(now), OPTIONS);
    expect(sent).toMatchObject({ status: 'sent', messageId: 'msg-1', recipients: ['finance@example.com'] });
    expect(w.sent).toHaveLength(1);
    const none = await sendMonthlyReport(w.deps(now), { ...OPTIONS, settings: { ...SETTINGS, recipients: [] } });
    expect(none.status).toBe('no-recipients');
    expect(w.sent).toHaveLength(1);
  });

  it('warns when the count went above the quantity billed for the period', () => {
    const summary = summarize({
      nowMs: Date.parse('2026-05-20T00:00:00Z'),
      snapshots: [
        {
          orgId: 'o',
          runId: 'r1',
          takenAt: '2026-05-15T02:00:00Z',
          managed: 1,
          active: 1,
          billable: 10,
          perPolicy: {},
          perProduct: {},
        },
        {
          orgId: 'o',
          runId: 'r2',
          takenAt: '2026-05-16T02:00:00Z',
          managed: 1,
          active: 1,
          billable: 12,
          perPolicy: {},
          perProduct: {},
        },
      ],
      changes: [],
      rule: STANDARD,
      cycle: { billingDay: 15, timeZone: 'UTC' },
      seatPrice: 1,
    });
    const input = { orgId: 'o', summary, settings: SETTINGS, chart: { width: 800, height: 360 }, csvFiles: ['a.csv'] };
    expect(renderReportEmail(input).html).toContain('The count reached 12 this period');
    const calm = summarize({
      ...summary,
      nowMs: summary.nowMs,
      snapshots: [],
      changes: [],
      rule: STANDARD,
      cycle: { billingDay: 15, timeZone: 'UTC' },
      seatPrice: 1,
    });
    const html = renderReportEmail({ ...input, summary: calm }).html;
    expect(html).not.toContain('The count reached');
    expect(html).toContain('no snapshot yet');
  });
});
