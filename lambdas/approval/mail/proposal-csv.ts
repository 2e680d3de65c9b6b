import type { ExtraColumns } from '../../mail/csv.js';
import type { ProposalBilling } from '../../reports/proposal-billing.js';

/**
 * The proposal CSV's pro-rated columns: for an item that adds a seat mid-period, the most it adds to
 * the current bill (price x days left / days in the period), the days it counts, and the currency;
 * blank for every other item. Amounts carry the currency's minor units (2 for EUR, 0 for JPY).
 */
export function proRatedColumns(b: ProposalBilling): ExtraColumns {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency: b.currency }).resolvedOptions()
    .maximumFractionDigits!;
  return {
    header: ['prorated_cost_this_period', 'prorated_days_left', 'period_days', 'currency'],
    cells: (item) => {
      const flag = b.proRated.get(item.accountId);
      return flag
        ? [flag.amount.toFixed(digits), flag.daysLeft, flag.days, b.currency]
        : [undefined, undefined, undefined, undefined];
    },
  };
}
