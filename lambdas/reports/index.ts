export { ReportsError, FinanceSettingsError, SeatsQueryError, ChartRenderError } from './errors.js';
export {
  GuardTier,
  financeSettingsSchema,
  resolveFinanceSettings,
  type FinanceSettings,
  type FinanceSettingsInput,
} from './settings.js';
export {
  AccountState,
  PolicyClass,
  ReasonCode,
  classifyPolicy,
  isJiraOrConfluence,
  whyBillable,
  type AccountFacts,
  type PolicyIds,
  type BillingRule,
  type BillingVerdict,
} from './billing.js';
export { accountFacts, type AccountProfile } from './facts.js';
export { SeatEffect, seatEffect, factsAfter, totalChanges, type ExecutedChange, type ChangeTotals } from './changes.js';
export {
  FINANCE_SNAPSHOT_VERSION,
  NO_DEPARTMENT,
  OTHER_DEPARTMENTS,
  SnapshotCounter,
  buildSnapshot,
  topDepartments,
  type FinanceSnapshot,
  type SnapshotMeta,
} from './snapshot.js';
export { periodContaining, periodStarting, shiftPeriod, type BillingCycle, type BillingPeriod } from './cycle.js';
export { QuantityBasis, billedQuantity, nextQuantity, type BilledQuantity, type SeatPoint } from './quantities.js';
export {
  attributeSavings,
  savingsIn,
  savingsYearToDate,
  proRatedCost,
  firstBilledPeriodAfter,
  type AttributedSaving,
  type PeriodSavings,
  type SavingsOptions,
} from './savings.js';
export { CHART_FONT, CHART_SIZE, chartData, seatsChartSpec, type ChartInput } from './chart-spec.js';
export { renderChart, defaultFontFile, type ChartRenderOptions, type RenderedChart } from './chart.js';
export { SNAPSHOT_COLUMNS, BILLED_COLUMNS, snapshotsCsv, billedAccountsCsv } from './csv.js';
export { summarize, type ReportSummary, type SummaryInput } from './summary.js';
export { CHART_CID, renderReportEmail, type ReportEmailInput, type RenderedReport } from './email.js';
export {
  buildMonthlyReport,
  sendMonthlyReport,
  type MonthlyReport,
  type MonthlyReportDeps,
  type MonthlyReportOptions,
  type MonthlyReportResult,
} from './report.js';
export { SeatsFormat, formatSeats, seatsRange, seatsReport } from './seats-table.js';
export type {
  StoredSnapshot,
  SnapshotSource,
  SnapshotSink,
  ExecutedChangeSource,
  AccountFactsSource,
  FinanceMailAttachment,
  FinanceMailMessage,
  FinanceMailer,
  ReportClock,
} from './ports.js';
export { explainAccount, type WhyAnswer } from './why.js';
export {
  recordSnapshot,
  takeSnapshot,
  type SnapshotStore,
  type RecordSnapshotDeps,
  type RecordSnapshotOptions,
} from './record.js';
export { changeFromItem, ExecutionFinanceRecorder, type ChangeLog } from './executed.js';
export { reportAsOf } from './report-month.js';
export {
  LandingKind,
  billingDeadline,
  deadlineFromSummary,
  landing,
  type BillingDeadline,
  type KindDeadline,
  type LandBeforeOptions,
  type LandBeforeSettings,
  type Landing,
} from './land-before.js';
export {
  proposalBilling,
  type ItemSeat,
  type LandingLine,
  type ProRatedFlag,
  type ProposalBilling,
  type ProposalBillingOptions,
} from './proposal-billing.js';
