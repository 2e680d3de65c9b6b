import { z } from 'zod';
import { FinanceSettingsError } from './errors.js';
import { dateTimeFormat } from '../shared/intl.js';

/** Guard subscription tiers; the counting rule follows the tier (billing.ts). */
export const GuardTier = { STANDARD: 'standard', PREMIUM: 'premium' } as const;
export type GuardTier = (typeof GuardTier)[keyof typeof GuardTier];

const validTimeZone = (tz: string): boolean => {
  try {
    dateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** `finance.landBeforeBillingDay` when it is left out: off. */
export const LAND_BEFORE_DEFAULTS = { enabled: false, windowDays: 14, marginDays: 1 } as const;

const wholeDays = (min: number, max: number) =>
  z
    .number({ message: `expected a number of days from ${min} to ${max}` })
    .int(`expected a whole number of days from ${min} to ${max}`)
    .min(min, `expected ${min} to ${max} days`)
    .max(max, `expected ${min} to ${max} days`);

/**
 * Billing-day deadlines on proposals. Under maximum quantity billing a seat freed before the billing
 * day is off the next bill; one freed on or after it is billed for one more period.
 */
const landBeforeSchema = z.strictObject({
  /** Name the decide-by date in the proposal mail and on the review page. @default false */
  enabled: z.boolean({ message: 'expected true or false' }).default(LAND_BEFORE_DEFAULTS.enabled),
  /**
   * From how many calendar days before the billing day a proposal names it (1-28). Set it above
   * `execution.warnBeforeDays` + `marginDays`, or deactivations can never make the deadline. @default 14
   */
  windowDays: wholeDays(1, 28).default(LAND_BEFORE_DEFAULTS.windowDays),
  /**
   * Days kept between a change's expected execution and the billing day, for a slow execution or
   * an Atlassian task that finishes late (0-7). @default 1
   */
  marginDays: wholeDays(0, 7).default(LAND_BEFORE_DEFAULTS.marginDays),
});

/**
 * The `finance` block of the configuration: a superset of the fields config/schema.ts has today
 * (recipients, seatPrice, currency), so that block can be replaced by this schema when wired.
 */
export const financeSettingsSchema = z.strictObject({
  /** Who receives the monthly report. @default [] */
  recipients: z.array(z.email({ message: 'expected an email address like finance@example.com' })).default([]),
  /** Price of one Guard seat per billing period (no public list price is reliable). */
  seatPrice: z.number().min(0, 'expected a price of 0 or more'),
  /** ISO 4217 code. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'expected a three-letter ISO 4217 code like USD or EUR'),
  /** The organization's Guard tier. @default standard */
  tier: z
    .enum([GuardTier.STANDARD, GuardTier.PREMIUM], { message: 'expected "standard" or "premium"' })
    .default('standard'),
  /** Day of the month a billing period starts (1-28, so every month has it). @default 1 */
  billingDay: z
    .number({ message: 'expected a day of the month' })
    .int('expected a whole day of the month')
    .min(1, 'expected a day from 1 to 28')
    .max(28, 'expected a day from 1 to 28 (29-31 do not exist in every month)')
    .default(1),
  /** Time zone the billing day starts in (midnight local time). @default UTC */
  timeZone: z.string().refine(validTimeZone, 'expected an IANA time zone like Europe/Berlin or UTC').default('UTC'),
  /** Departments named in the snapshot and the report; the rest are summed as "Other". @default 8 */
  topDepartments: z.number().int().min(1, 'expected at least 1').max(50, 'expected at most 50').default(8),
  /** Billing periods the report's chart covers, the current one included. @default 6 */
  chartPeriods: z.number().int().min(1, 'expected at least 1').max(36, 'expected at most 36').default(6),
  /** Name the date by which to approve seat-lowering changes so they land before the billing day (land-before.ts). */
  landBeforeBillingDay: landBeforeSchema.default(LAND_BEFORE_DEFAULTS),
});

export type FinanceSettingsInput = z.input<typeof financeSettingsSchema>;
/** Finance settings with every default resolved. */
export type FinanceSettings = z.output<typeof financeSettingsSchema>;

/** Validates the finance settings; the error names the field, the value received and the fix. */
export function resolveFinanceSettings(input: unknown): FinanceSettings {
  const parsed = financeSettingsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(root)';
  let received: unknown = input;
  for (const key of issue.path) received = (received as Record<PropertyKey, unknown> | undefined)?.[key];
  throw new FinanceSettingsError(
    `finance.${field}: ${issue.message} (received ${JSON.stringify(received)})`,
    field,
    received,
  );
}
