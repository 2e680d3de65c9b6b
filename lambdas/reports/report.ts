import type { PolicyIds } from './billing.js';
import type { ExecutedChange } from './changes.js';
import { renderChart, type ChartRenderOptions } from './chart.js';
import { seatsChartSpec } from './chart-spec.js';
import { billedAccountsCsv, snapshotsCsv } from './csv.js';
import { periodContaining, shiftPeriod } from './cycle.js';
import { CHART_CID, renderReportEmail } from './email.js';
import { isoDate, localDate } from './local-time.js';
import type {
  AccountFactsSource,
  ExecutedChangeSource,
  FinanceMailMessage,
  FinanceMailer,
  ReportClock,
  SnapshotSource,
  StoredSnapshot,
} from './ports.js';
import { rangeLabel, TIER_LABEL } from './report-format.js';
import type { FinanceSettings } from './settings.js';
import { summarize, type ReportSummary } from './summary.js';

export interface MonthlyReportDeps {
  readonly snapshots: SnapshotSource;
  readonly changes: ExecutedChangeSource;
  /** For the billed-accounts CSV. @default none: that CSV is left out (the mail lists what is attached) */
  readonly accounts?: AccountFactsSource;
  readonly mailer: FinanceMailer;
  readonly clock: ReportClock;
}

export interface MonthlyReportOptions {
  readonly orgId: string;
  readonly settings: FinanceSettings;
  readonly policies: PolicyIds;
  /** Sender, a verified SES identity (config approval.from). */
  readonly from: string;
  readonly chart?: ChartRenderOptions;
  /**
   * Executed changes from this instant on are attributed savings.
   * @default 1970-01-01T00:00:00.000Z (every change on record)
   */
  readonly changesSince?: string;
}

export interface MonthlyReport {
  readonly summary: ReportSummary;
  readonly message: FinanceMailMessage;
}

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

/** Builds the monthly finance report (summary, chart, CSVs, mail) without sending it. */
export async function buildMonthlyReport(deps: MonthlyReportDeps, o: MonthlyReportOptions): Promise<MonthlyReport> {
  const { settings: cfg } = o;
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const cycle = { billingDay: cfg.billingDay, timeZone: cfg.timeZone };
  const rule = { tier: cfg.tier, policies: o.policies };
  const current = periodContaining(nowMs, cycle);
  const first = shiftPeriod(current, 1 - cfg.chartPeriods, cycle);
  // One period more than the chart, so the quantity of its first period has a count before it.
  const snapshots: StoredSnapshot[] = await collect(
    deps.snapshots.range(o.orgId, shiftPeriod(first, -1, cycle).start, now),
  );
  const changes: ExecutedChange[] = await collect(
    deps.changes.between(o.orgId, o.changesSince ?? new Date(0).toISOString(), now),
  );
  const summary = summarize({ nowMs, snapshots, changes, rule, cycle, seatPrice: cfg.seatPrice });
  const today = isoDate(localDate(nowMs, cfg.timeZone));
  const chart = await renderChart(
    seatsChartSpec({
      snapshots,
      changes,
      periodStarts: Array.from({ length: cfg.chartPeriods }, (_, n) => shiftPeriod(first, n, cycle).firstDay),
      from: first.firstDay,
      to: today,
      timeZone: cfg.timeZone,
      title: `${TIER_LABEL[cfg.tier]} seats billed, ${rangeLabel(first.firstDay, today)}`,
    }),
    o.chart,
  );
  const stem = `guard-seats-${o.orgId}-${today}`;
  const csvs = [
    {
      filename: `${stem}-snapshots.csv`,
      text: snapshotsCsv(
        snapshots.filter((s) => s.takenAt >= first.start),
        cfg.timeZone,
      ),
    },
  ];
  if (deps.accounts)
    csvs.push({
      filename: `${stem}-billed-accounts.csv`,
      text: billedAccountsCsv(await collect(deps.accounts.accounts(o.orgId)), rule),
    });
  const rendered = renderReportEmail({
    orgId: o.orgId,
    summary,
    settings: cfg,
    chart,
    csvFiles: csvs.map((c) => c.filename),
  });
  const csvType = 'text/csv; charset=utf-8';
  return {
    summary,
    message: {
      from: o.from,
      to: cfg.recipients,
      ...rendered,
      attachments: [
        {
          filename: `${stem}.png`,
          contentType: 'image/png',
          content: chart.png,
          disposition: 'inline',
          contentId: CHART_CID,
        },
        { filename: `${stem}.png`, contentType: 'image/png', content: chart.png, disposition: 'attachment' },
        ...csvs.map((c) => ({
          filename: c.filename,
          contentType: csvType,
          content: new TextEncoder().encode(c.text),
          disposition: 'attachment' as const,
        })),
      ],
    },
  };
}

export type MonthlyReportResult =
  | {
      readonly status: 'sent';
      readonly messageId: string;
      readonly summary: ReportSummary;
      readonly recipients: readonly string[];
    }
  | { readonly status: 'no-recipients'; readonly summary: ReportSummary };

/** Builds the report and mails it to finance (scheduled on the billing day, or on demand). */
export async function sendMonthlyReport(
  deps: MonthlyReportDeps,
  o: MonthlyReportOptions,
): Promise<MonthlyReportResult> {
  const { summary, message } = await buildMonthlyReport(deps, o);
  if (message.to.length === 0) return { status: 'no-recipients', summary };
  const { messageId } = await deps.mailer.send(message);
  return { status: 'sent', messageId, summary, recipients: message.to };
}
