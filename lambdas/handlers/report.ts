/**
 * Lambda handler of the monthly finance report (thin door). EventBridge Scheduler invokes it on
 * the billing day with `{}`; on demand, `{ "month": "2026-03" }` reports the billing period that
 * starts in that month, and `{ "send": false }` builds it without mailing (the summary is returned).
 */
import { loadConfigFromEnv } from '../config/index.js';
import { buildMonthlyReport, reportAsOf, sendMonthlyReport, type ReportSummary } from '../reports/index.js';
import { awsClients, runtimeEnv } from '../wiring/index.js';
import { powertoolsLogger, traced } from '../wiring/powertools.js';
import { createReportDeps } from '../wiring/reports.js';

export interface ReportEvent {
  readonly month?: string;
  /** @default true */
  readonly send?: boolean;
}

export interface ReportResult {
  readonly status: 'sent' | 'no-recipients' | 'built';
  readonly messageId?: string;
  readonly recipients?: readonly string[];
  readonly summary: Pick<ReportSummary, 'billedNow' | 'nextPeriod' | 'changeOverMonth' | 'savingsYearToDate'> & {
    readonly period: string;
  };
}

const config = loadConfigFromEnv();
const env = runtimeEnv();
const built = createReportDeps({ config, env, clients: awsClients(env, { wrap: traced }), logger: powertoolsLogger() });
// A bad secret fails every invocation with its message, not the module load.
built.catch(() => undefined);
/** The chart's TTF, shipped in the bundle (lib/report.ts): Lambda has no system fonts. */
const fontFile = process.env.LIFECYCLE_CHART_FONT;

export async function handler(event: ReportEvent = {}): Promise<ReportResult> {
  const { deps, options } = await built;
  const asOf = reportAsOf(event.month, Date.now(), config.finance);
  const run = { ...deps, clock: { now: () => asOf } };
  const opts = { ...options, ...(fontFile && { chart: { fontFile } }) };
  const brief = (s: ReportSummary): ReportResult['summary'] => ({
    period: `${s.period.firstDay}..${s.period.lastDay}`,
    billedNow: s.billedNow,
    nextPeriod: s.nextPeriod,
    ...(s.changeOverMonth !== undefined && { changeOverMonth: s.changeOverMonth }),
    savingsYearToDate: s.savingsYearToDate,
  });
  if (event.send === false) return { status: 'built', summary: brief((await buildMonthlyReport(run, opts)).summary) };
  const r = await sendMonthlyReport(run, opts);
  return r.status === 'sent'
    ? { status: 'sent', messageId: r.messageId, recipients: r.recipients, summary: brief(r.summary) }
    : { status: 'no-recipients', summary: brief(r.summary) };
}
