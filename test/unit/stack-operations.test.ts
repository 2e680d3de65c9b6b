/** How long the plan may stay silent before its absence alarms (lib/operations.ts). */
import { describe, expect, it } from 'vitest';
import { planSilenceDays } from '../../lib/operations.js';

describe('planSilenceDays', () => {
  it('allows one day for a daily or more frequent schedule', () => {
    for (const s of ['cron(0 2 * * ? *)', 'cron(30 1 ? * * *)', 'rate(6 hours)', 'rate(1 day)', 'rate(30 minutes)'])
      expect(planSilenceDays(s), s).toBe(1);
  });
  it('allows seven days for a schedule that skips days', () => {
    for (const s of ['cron(0 2 ? * MON-FRI *)', 'cron(0 2 1 * ? *)', 'cron(0 2 ? * 2 *)', 'rate(2 days)'])
      expect(planSilenceDays(s), s).toBe(7);
  });
});
