import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildMonthlyReport,
  CHART_CID,
  resolveFinanceSettings,
  seatsReport,
  snapshotsCsv,
  type MonthlyReport,
} from '../../lambdas/reports/index.js';
import { DynamoSeatStore } from '../../lambdas/store/index.js';
import { dynamoClient, freshTables } from '../helpers/local.js';
import { financeWorld, POLICIES } from '../helpers/reports.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`SKIPPED: the browser test needs Debian chromium at ${CHROMIUM}.`);

const NOW = Date.parse('2026-06-15T07:00:00Z');
const SETTINGS = resolveFinanceSettings({
  recipients: ['finance@example.com'],
  seatPrice: 6.2,
  currency: 'USD',
  billingDay: 15,
  timeZone: 'Europe/Berlin',
  topDepartments: 4,
  chartPeriods: 6,
});

describe('finance report from snapshots stored in DynamoDB Local', () => {
  const world = financeWorld({ from: '2026-01-01', days: 166, size: 240 });
  let store: DynamoSeatStore;
  let report: MonthlyReport;

  beforeAll(async () => {
    const db = dynamoClient();
    store = new DynamoSeatStore(db, (await freshTables(db)).seats);
    for (const s of world.snapshots) await store.put(s);
    report = await buildMonthlyReport(
      { ...world.deps(NOW), snapshots: store },
      { orgId: 'org-1', settings: SETTINGS, policies: POLICIES, from: 'lifecycle@example.com' },
    );
    mkdirSync(IMAGES, { recursive: true });
    writeFileSync(`${IMAGES}finance-chart.png`, report.message.attachments[0]!.content);
  });

  it('reads back, through the plan seat store, exactly the snapshots written (seats --format csv)', async () => {
    const csv = await seatsReport(store, {
      orgId: 'org-1',
      from: '2026-03-01',
      to: '2026-04-01',
      format: 'csv',
      timeZone: 'UTC',
    });
    const expected = world.snapshots.filter((s) => s.takenAt >= '2026-03-01' && s.takenAt < '2026-04-01');
    expect(expected).toHaveLength(31);
    expect(csv).toBe(snapshotsCsv(expected, 'UTC'));
    const json = JSON.parse(
      await seatsReport(store, {
        orgId: 'org-1',
        from: '2026-03-01',
        to: '2026-03-03',
        format: 'json',
        timeZone: 'UTC',
      }),
    );
    expect(json).toEqual(expected.slice(0, 2));
  });

  it('bills the period on the count at its start, read from the store', () => {
    expect(report.summary.billedNow).toMatchObject({ basis: 'first-in-period', takenAt: '2026-06-15T02:00:00.000Z' });
    const atStart = world.snapshots.find((s) => s.takenAt === '2026-06-15T02:00:00.000Z')!;
    expect(report.summary.billedNow.quantity).toBe(atStart.billable);
  });

  describe.skipIf(!haveChromium)('in a real browser (Debian chromium + playwright-core)', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('renders the report email with the chart shown (screenshot for the README)', async () => {
      const { html, attachments } = report.message;
      const inline = attachments.find((a) => a.contentId === CHART_CID)!;
      // A mail client resolves cid: from the inline part; the browser gets the same bytes as a data: URL.
      const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
      const dataUrl = `data:image/png;base64,${Buffer.from(inline.content).toString('base64')}`;
      await page.setContent(html.replace(`cid:${CHART_CID}`, dataUrl), { waitUntil: 'load' });
      const img = page.locator('img[alt^="Chart: billed Guard seats"]');
      expect(await img.evaluate((i: any) => [i.complete, i.naturalWidth, i.naturalHeight])).toEqual([true, 800, 360]);
      expect(await img.evaluate((i: any) => i.getBoundingClientRect().width)).toBe(630);
      expect(await page.getByText('Billed this period', { exact: true }).isVisible()).toBe(true);
      await page.screenshot({ path: `${IMAGES}finance-report.png`, fullPage: true });
      await page.close();
    });
  });
});
