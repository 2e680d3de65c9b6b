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
  type AttributedSaving,
  type PeriodSavings,
  type SavingsOptions,
} from './savings.js';
