import {
  banner,
  dataTable,
  emailDocument,
  heading,
  html,
  money,
  note,
  paragraph,
  stats,
  type SafeHtml,
} from './mail-kit.js';
import { basisText, CHANGE_ROWS, count, periodLabel, signed, TIER_LABEL } from './report-format.js';
import type { FinanceSettings } from './settings.js';
import type { ReportSummary } from './summary.js';

export const CHART_CID = 'guard-seats-chart';
/** Width the chart is shown at: the 680 px card less its 1 px borders and 24 px padding each side. */
const SHOWN_WIDTH = 630;

export interface ReportEmailInput {
  readonly orgId: string;
  readonly summary: ReportSummary;
  readonly settings: Pick<
    FinanceSettings,
    'tier' | 'currency' | 'seatPrice' | 'timeZone' | 'billingDay' | 'chartPeriods'
  >;
  /** Pixel size of the chart PNG (shown scaled to the card). */
  readonly chart: { readonly width: number; readonly height: number };
  /** Names of the CSV files attached. */
  readonly csvFiles: readonly string[];
}

export interface RenderedReport {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

export function reportSubject(i: ReportEmailInput): string {
  const s = i.summary;
  return `Guard seats, ${i.orgId}: ${count(s.billedNow.quantity)} billed this period → ${count(s.nextPeriod.quantity)} next period (${periodLabel(s.period)})`;
}

/** The image, by Content-ID: Outlook and Gmail show inline parts; a data: URL they would block. */
function chartImage(i: ReportEmailInput): SafeHtml {
  const h = Math.round((i.chart.height * SHOWN_WIDTH) / i.chart.width);
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" style="margin:8px 0 4px;"><tr><td>
<img src="cid:${CHART_CID}" width="${SHOWN_WIDTH}" height="${h}" alt="Chart: billed Guard seats per day and changes executed over the last ${String(i.settings.chartPeriods)} billing periods" style="display:block;width:100%;max-width:${SHOWN_WIDTH}px;height:auto;border:0;outline:none;text-decoration:none;"></td></tr></table>`;
}

export function renderReportHtml(i: ReportEmailInput): string {
  const { summary: s, settings: cfg } = i;
  const $ = (n: number) => money(n, cfg.currency);
  const peak = s.billedNow.peak ?? 0;
  const body = html`
${heading('Atlassian Guard seats: monthly finance report', 22)}
${paragraph(html`Organization <strong>${i.orgId}</strong> on <strong>${TIER_LABEL[cfg.tier]}</strong>. Billing period <strong>${periodLabel(s.period)}</strong> (billing day ${String(cfg.billingDay)}, ${cfg.timeZone}); ${$(cfg.seatPrice)} per seat and period.`)}
${stats([
  { label: 'Billed this period', value: count(s.billedNow.quantity), note: basisText(s.billedNow, cfg.timeZone) },
  {
    label: 'Next period if nothing changes',
    value: count(s.nextPeriod.quantity),
    note: basisText(s.nextPeriod, cfg.timeZone),
  },
  {
    label: 'Change over the month',
    value: s.changeOverMonth === undefined ? 'unknown' : signed(s.changeOverMonth),
    note: `since the quantity of ${periodLabel(s.previousPeriod)}`,
  },
])}
${stats([
  {
    label: 'Saved this period',
    value: $(s.savingsThisPeriod.amount),
    note: `${count(s.savingsThisPeriod.seatsFreed)} seats freed before it began`,
  },
  { label: 'Saved next period', value: $(s.savingsNextPeriod.amount), note: `this period's changes included` },
  { label: 'Saved this year', value: $(s.savingsYearToDate), note: 'billing periods started this year' },
])}
${peak > (s.billedNow.quantity ?? Infinity) ? banner('danger', `The count reached ${count(peak)} this period`, `That is above the ${count(s.billedNow.quantity)} seats billed for it: Atlassian charges the extra seats pro rata for the days left.`) : ''}
${heading('Billed seats over time')}
${chartImage(i)}
${note('Line: billed seats (the last count of each day). Bars: changes executed per day. Dashed lines: billing days.')}
${banner('info', 'Savings start in the next period', 'Atlassian bills each period on the count at its start and gives no credit for removals during it, so a deactivation or a move to the nonbillable policy lowers the next bill, never the current one.')}
${heading('Changes executed this period')}
${dataTable(
  ['Change', 'Count'],
  CHANGE_ROWS.map(([k, label]) => [label, count(s.executedThisPeriod[k])]),
  [440],
)}
${
  s.departments.length > 0
    ? html`${heading('Largest departments (billed seats)')}${dataTable(
        ['Department', 'Billed seats'],
        s.departments.map(([d, n]) => [d, count(n)]),
        [440],
      )}`
    : ''
}
${note(html`Attached: ${i.csvFiles.join(', ')}, and the chart as a PNG.`)}`;
  return emailDocument({
    title: reportSubject(i),
    preheader: `${count(s.billedNow.quantity)} Guard seats billed this period, ${count(s.nextPeriod.quantity)} next period; saved ${$(s.savingsThisPeriod.amount)} this period.`,
    header: `Atlassian lifecycle · finance report · ${i.orgId}`,
    body,
  });
}

export function renderReportText(i: ReportEmailInput): string {
  const { summary: s, settings: cfg } = i;
  const $ = (n: number) => money(n, cfg.currency);
  const lines = [
    'Atlassian Guard seats: monthly finance report',
    '',
    `Organization ${i.orgId} on ${TIER_LABEL[cfg.tier]}. Billing period ${periodLabel(s.period)} (billing day ${cfg.billingDay}, ${cfg.timeZone}); ${$(cfg.seatPrice)} per seat and period.`,
    '',
    `Billed this period:            ${count(s.billedNow.quantity)} (${basisText(s.billedNow, cfg.timeZone)})`,
    `Next period if nothing changes: ${count(s.nextPeriod.quantity)} (${basisText(s.nextPeriod, cfg.timeZone)})`,
    `Change over the month:         ${s.changeOverMonth === undefined ? 'unknown' : signed(s.changeOverMonth)}`,
    `Saved this period:             ${$(s.savingsThisPeriod.amount)}`,
    `Saved next period:             ${$(s.savingsNextPeriod.amount)}`,
    `Saved this year:               ${$(s.savingsYearToDate)}`,
    '',
    'Savings start in the next period: Atlassian bills each period on the count at its start and gives no credit for removals during it.',
    '',
    'Changes executed this period:',
    ...CHANGE_ROWS.map(([k, label]) => `  ${label}: ${count(s.executedThisPeriod[k])}`),
  ];
  if (s.departments.length > 0)
    lines.push('', 'Largest departments (billed seats):', ...s.departments.map(([d, n]) => `  ${d}: ${count(n)}`));
  lines.push('', `Attached: ${i.csvFiles.join(', ')}, and the chart as a PNG.`);
  return `${lines.join('\n')}\n`;
}

export const renderReportEmail = (i: ReportEmailInput): RenderedReport => ({
  subject: reportSubject(i),
  html: renderReportHtml(i),
  text: renderReportText(i),
});
