import type { Config } from '../config/index.js';
import { billingDeadline, type BillingDeadline } from '../reports/land-before.js';

/**
 * The run summary's `billingDeadline` (`finance.landBeforeBillingDay`): when the next billing day is
 * near, the date by which the proposal's moves and deactivations must be approved to land before it.
 * The approval step reads it back for the mail and the review page; the audit keeps it with the run.
 */
export function billingDeadlineSummary(config: Config, nowMs: number): { billingDeadline?: BillingDeadline } {
  const deadline = billingDeadline(nowMs, {
    cycle: { billingDay: config.finance.billingDay, timeZone: config.finance.timeZone },
    land: config.finance.landBeforeBillingDay,
    warnBeforeDays: config.execution.warnBeforeDays,
  });
  return deadline ? { billingDeadline: deadline } : {};
}
