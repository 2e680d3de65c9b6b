import { afterEach, describe, expect, it, vi } from 'vitest';
import { dateTimeFormat, numberFormat } from '../../lambdas/shared/intl.js';
import { renderResultsEmail, proposalCsv } from '../../lambdas/mail/index.js';
import { mailerExecMail } from '../../lambdas/execute/emails.js';
import { makeConfig } from '../helpers/config.js';
import { makeItem, makeProposal } from '../helpers/approval-fixtures.js';

describe('Intl formatters are built once per locale and options', () => {
  it('gives the same formatter for the same locale and options, another for other ones', () => {
    const a = dateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'long' });
    expect(dateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'long' })).toBe(a);
    expect(dateTimeFormat('en-GB', { timeZone: 'Europe/Paris', dateStyle: 'long' })).not.toBe(a);
    expect(dateTimeFormat('en-US', { timeZone: 'Europe/Berlin', dateStyle: 'long' })).not.toBe(a);
    expect(a.format(Date.parse('2026-11-04T12:00:00Z'))).toBe('4 November 2026');
    const usd = numberFormat('en-US', { style: 'currency', currency: 'USD' });
    expect(numberFormat('en-US', { style: 'currency', currency: 'USD' })).toBe(usd);
    expect(numberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(4.5)).toBe('€4.50');
  });

  it('still refuses an unknown time zone, every time (nothing cached for it)', () => {
    expect(() => dateTimeFormat('en-US', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en-US', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });

  it('stays correct past its size limit (it starts again, never grows without end)', () => {
    const zones = Intl.supportedValuesOf('timeZone').slice(0, 300);
    expect(zones.length).toBe(300);
    for (const timeZone of zones) dateTimeFormat('en-CA', { timeZone, year: 'numeric' });
    const berlin = dateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
    expect(berlin.format(Date.parse('2026-07-01T10:00:00Z'))).toBe('12:00');
  });
});

describe('a large results mail builds a handful of date formatters, not one per row', () => {
  const Real = Intl.DateTimeFormat;
  afterEach(() => vi.unstubAllGlobals());

  it('2,000 executed items: the mail, its CSV and the per-approver copies', async () => {
    let built = 0;
    const Counting = new Proxy(Real, {
      construct(target, args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
        built += 1;
        return new target(...args);
      },
    });
    vi.stubGlobal('Intl', { ...Intl, DateTimeFormat: Counting });
    const config = makeConfig((c) => {
      c.schedules.timeZone = 'Pacific/Chatham';
    });
    const items = Array.from({ length: 2000 }, (_, i) =>
      makeItem({
        accountId: `acc-${i}`,
        email: `u${i}@example.com`,
        state: 'DONE',
        executedAt: '2026-11-02T09:00:00Z',
      }),
    );
    const proposal = makeProposal(items, { status: 'APPROVED' });
    const mail = renderResultsEmail({ proposal, items, config, finishedAt: Date.parse('2026-11-02T09:30:00Z') });
    expect(mail.subject).toMatch(/^Done: 2,000 Atlassian account changes carried out/);
    const csv = proposalCsv(items, config.schedules.timeZone);
    expect(csv.split('\n').filter((l) => l.includes('@example.com'))).toHaveLength(2000);
    const sent: unknown[] = [];
    await mailerExecMail({ send: async (m: unknown) => void sent.push(m) } as never, config).results(
      proposal,
      items,
      Date.parse('2026-11-02T09:30:00Z'),
    );
    expect(sent).toHaveLength(1);
    // Formatters for this time zone were not built before (no other test uses it), so each one
    // the rendering needs is counted once; one per row would be thousands.
    expect(built).toBeGreaterThan(0);
    expect(built).toBeLessThanOrEqual(10);
  });
});
