import { describe, expect, it } from 'vitest';
import { evaluateAccount, type Decision } from '../../lambdas/rules/index.js';
import { daysBefore, inZone, makeContext, makeInput, used } from '../helpers/accounts.js';

const graceAndStale = (grace: number, stale: number) => (raw: Record<string, any>) => {
  raw.deactivation.newAccountGraceDays = grace;
  raw.deactivation.staleAfterDays = stale;
};

const describeDecision = (d: Decision) =>
  d.kind === 'action'
    ? `${d.action}/${d.reason}`
    : d.kind === 'needs-data'
      ? `needs-data:${d.missing.join('+')}`
      : d.kind;

describe('staleness: inactive days against staleAfterDays (90)', () => {
  it.each([
    [0, 'keep'],
    [1, 'keep'],
    [89, 'keep'],
    [90, 'keep'],
    [91, 'DEACTIVATE/STALE'],
    [400, 'DEACTIVATE/STALE'],
  ])('last activity %i days ago: %s', (ago, expected) => {
    const ctx = makeContext(inZone('UTC'));
    const decision = evaluateAccount(
      ctx,
      makeInput({ account: { products: [used('confluence', ago), used('jira-software', ago + 5)] } }),
    );
    expect(describeDecision(decision)).toBe(expected);
    if (decision.kind !== 'excluded') expect(decision.evidence.inactiveDays).toBe(ago);
  });

  it('takes the latest of last_active and every product, whichever is later', () => {
    const ctx = makeContext(inZone('UTC'));
    const onlyOverallRecent = makeInput({
      account: { lastActive: daysBefore(10), products: [used('confluence', 200), used('jira-software', 300)] },
    });
    const onlyJiraRecent = makeInput({
      account: { lastActive: daysBefore(200), products: [used('confluence', 200), used('jira-software', 12)] },
    });
    expect(evaluateAccount(ctx, onlyOverallRecent)).toMatchObject({
      kind: 'keep',
      evidence: { inactiveDays: 10, lastActivity: { source: 'any' } },
    });
    expect(evaluateAccount(ctx, onlyJiraRecent)).toMatchObject({
      kind: 'keep',
      evidence: { inactiveDays: 12, lastActivity: { source: 'jira-software', sourceName: 'Jira' } },
    });
  });

  it('names the product rather than "any product" when last_active equals a product date', () => {
    const ctx = makeContext(inZone('UTC'));
    const decision = evaluateAccount(
      ctx,
      makeInput({
        account: {
          lastActive: daysBefore(143),
          products: [
            used('jira-software', 150),
            { key: 'confluence', name: 'Confluence', lastActive: daysBefore(143) },
          ],
        },
      }),
    );
    expect(decision).toMatchObject({ kind: 'action', evidence: { lastActivity: { source: 'confluence' } } });
  });

  it('counts a v1 account with only the overall last_active', () => {
    const ctx = makeContext(inZone('UTC'));
    const decision = evaluateAccount(
      ctx,
      makeInput({ account: { lastActive: daysBefore(100), products: [{ key: 'confluence' }] } }),
    );
    expect(decision).toMatchObject({
      kind: 'action',
      reason: 'STALE',
      summary: expect.stringContaining('(last: any product on 2026-07-24)'),
    });
  });

  it('treats activity dated after the run (clock skew) as recent', () => {
    const ctx = makeContext(inZone('UTC'));
    expect(evaluateAccount(ctx, makeInput({ account: { products: [used('confluence', -3)] } })).kind).toBe('keep');
  });

  it('writes the summary the proposal email shows', () => {
    const ctx = makeContext(inZone('UTC'));
    const decision = evaluateAccount(
      ctx,
      makeInput({
        account: { products: [{ key: 'confluence', name: 'Confluence', lastActive: '2026-06-11T09:12:00Z' }] },
      }),
    );
    expect(decision).toMatchObject({
      kind: 'action',
      summary: 'No activity in any product for 143 days (last: Confluence on 2026-06-11); threshold 90 days.',
    });
  });
});

describe('staleness in the run time zone', () => {
  // The run at 00:30 on 1 November in Berlin is still 31 October in UTC.
  const run = '2026-10-31T23:30:00Z';
  it.each([
    ['UTC', '2026-08-02T12:00:00Z', 90, 'keep'],
    ['Europe/Berlin', '2026-08-02T12:00:00Z', 91, 'DEACTIVATE/STALE'],
    ['Europe/Berlin', '2026-08-02T22:30:00Z', 90, 'keep'], // 00:30 on 3 August in Berlin
    ['UTC', '2026-08-01T23:59:59Z', 91, 'DEACTIVATE/STALE'],
    // In New York the run is 19:30 on 31 October (EDT): same run date as UTC, but earlier activity dates.
    ['America/New_York', '2026-08-02T03:00:00Z', 91, 'DEACTIVATE/STALE'], // 23:00 on 1 August in New York
    ['America/New_York', '2026-08-02T05:00:00Z', 90, 'keep'], // 01:00 on 2 August in New York
  ])('in %s, last active %s is %i days before the run: %s', (timeZone, lastActive, days, expected) => {
    const ctx = makeContext(inZone(timeZone), run);
    const decision = evaluateAccount(ctx, makeInput({ account: { products: [{ key: 'confluence', lastActive }] } }));
    expect(describeDecision(decision)).toBe(expected);
    if (decision.kind !== 'excluded') expect(decision.evidence.inactiveDays).toBe(days);
  });

  it('counts calendar days across the spring DST change', () => {
    // 90 calendar days in Berlin from 23:30 on 1 March (CET) to 23:30 on 30 May (CEST): one hour short of 90×24 h.
    const ctx = makeContext(inZone('Europe/Berlin'), '2026-05-30T23:30:00+02:00');
    const exactly = evaluateAccount(
      ctx,
      makeInput({ account: { products: [{ key: 'confluence', lastActive: '2026-03-01T23:30:00+01:00' }] } }),
    );
    const oneMore = evaluateAccount(
      ctx,
      makeInput({ account: { products: [{ key: 'confluence', lastActive: '2026-02-28T23:30:00+01:00' }] } }),
    );
    expect(describeDecision(exactly)).toBe('keep');
    expect(describeDecision(oneMore)).toBe('DEACTIVATE/STALE');
  });

  it('reads a date-only value as the latest local day it can be, so inactivity is never over-counted', () => {
    // 2026-08-02 (a UTC day) may have ended at 01:59 on 3 August in Berlin.
    const berlin = evaluateAccount(
      makeContext(inZone('Europe/Berlin'), run),
      makeInput({ account: { products: [{ key: 'confluence', lastActive: '2026-08-02' }] } }),
    );
    expect(berlin).toMatchObject({
      kind: 'keep',
      evidence: { inactiveDays: 90, lastActivity: { date: '2026-08-03', at: '2026-08-02' } },
    });
    const utc = evaluateAccount(
      makeContext(inZone('UTC'), run),
      makeInput({ account: { products: [{ key: 'confluence', lastActive: '2026-08-01' }] } }),
    );
    expect(utc).toMatchObject({ kind: 'action', evidence: { inactiveDays: 91 } });
  });
});

describe('never-active accounts: counted from addedToOrg after the grace period', () => {
  const neverActive = (addedDaysAgo: number) => ({
    products: [{ key: 'confluence' }],
    addedToOrg: daysBefore(addedDaysAgo),
  });
  it.each([
    [30, 90, 0, 'keep', 'within the 30 days grace period'],
    [30, 90, 30, 'keep', 'within the 30 days grace period'],
    [30, 90, 31, 'keep', 'threshold 90 days'],
    [30, 90, 90, 'keep', 'threshold 90 days'],
    [30, 90, 91, 'DEACTIVATE/NEVER_ACTIVE', 'added to the org 91 days ago'],
    [120, 90, 100, 'keep', 'within the 120 days grace period'],
    [120, 90, 120, 'keep', 'within the 120 days grace period'],
    [120, 90, 121, 'DEACTIVATE/NEVER_ACTIVE', 'added to the org 121 days ago'],
    [0, 1, 1, 'keep', 'threshold 1 day'],
    [0, 1, 2, 'DEACTIVATE/NEVER_ACTIVE', 'added to the org 2 days ago'],
  ])('grace %i, stale %i, added %i days ago: %s', (grace, stale, added, expected, phrase) => {
    const ctx = makeContext(inZone('UTC', graceAndStale(grace, stale)));
    const decision = evaluateAccount(ctx, makeInput({ account: neverActive(added) }));
    expect(describeDecision(decision)).toBe(expected);
    expect(decision.summary).toContain(phrase);
    if (decision.kind !== 'excluded') expect(decision.evidence.daysSinceAdded).toBe(added);
  });

  it('does not apply the grace to an account that has been active', () => {
    const ctx = makeContext(inZone('UTC'));
    const decision = evaluateAccount(
      ctx,
      makeInput({ account: { addedToOrg: daysBefore(5), products: [used('confluence', 200)] } }),
    );
    expect(describeDecision(decision)).toBe('DEACTIVATE/STALE');
  });

  it('counts addedToOrg in the run time zone too', () => {
    // Added at noon on 2 August; the run is 1 November in Berlin but still 31 October in UTC.
    const berlin = makeContext(inZone('Europe/Berlin'), '2026-10-31T23:30:00Z');
    const utc = makeContext(inZone('UTC'), '2026-10-31T23:30:00Z');
    const input = makeInput({ account: { products: [], addedToOrg: '2026-08-02T12:00:00Z' } });
    expect(evaluateAccount(berlin, input)).toMatchObject({
      kind: 'action',
      reason: 'NEVER_ACTIVE',
      evidence: { daysSinceAdded: 91 },
    });
    expect(evaluateAccount(utc, input)).toMatchObject({ kind: 'keep', evidence: { daysSinceAdded: 90 } });
  });

  it('asks for addedToOrg when the listing does not carry it (v1), instead of guessing', () => {
    const ctx = makeContext();
    const decision = evaluateAccount(
      ctx,
      makeInput({ account: { products: [{ key: 'confluence' }], addedToOrg: undefined } }),
    );
    expect(decision).toMatchObject({
      kind: 'needs-data',
      missing: ['addedToOrg'],
      summary: expect.stringContaining('date it was added to the org is unknown'),
    });
  });

  it('asks for addedToOrg again when it is unparsable', () => {
    const decision = evaluateAccount(makeContext(), makeInput({ account: { products: [], addedToOrg: '31/12/2025' } }));
    expect(decision).toMatchObject({
      kind: 'needs-data',
      missing: ['addedToOrg'],
      evidence: { unparsable: ['addedToOrg'] },
    });
    expect(decision.summary).toContain('unparsable');
  });
});

describe('unparsable activity dates never deactivate', () => {
  it.each([
    [
      'the only date is unparsable',
      { products: [{ key: 'confluence', lastActive: 'not a date' }] },
      'needs-data:lastActive',
    ],
    [
      'the overall last_active is unparsable and products are stale',
      { lastActive: '2026-13-01T00:00:00Z', products: [used('confluence', 300)] },
      'needs-data:lastActive',
    ],
    [
      'a product date is unparsable and the others are stale',
      { products: [used('jira-software', 300), { key: 'confluence', lastActive: '0001-01-01T00:00:00Z' }] },
      'needs-data:lastActive',
    ],
    [
      'a product date is unparsable but another is recent',
      { products: [used('jira-software', 4), { key: 'confluence', lastActive: 'garbage' }] },
      'keep',
    ],
    [
      'an unparsable date on a never-active-looking account',
      { products: [{ key: 'confluence', lastActive: '' }], addedToOrg: daysBefore(400) },
      'needs-data:lastActive',
    ],
  ])('%s: %s', (_what, account, expected) => {
    const decision = evaluateAccount(makeContext(), makeInput({ account }));
    expect(describeDecision(decision)).toBe(expected);
    if (decision.kind === 'needs-data') expect(decision.summary).toMatch(/unparsable/);
  });

  it('lists which fields were unparsable in the evidence', () => {
    const decision = evaluateAccount(
      makeContext(),
      makeInput({
        account: { lastActive: 'x', products: [used('jira-software', 300), { key: 'confluence', lastActive: 'y' }] },
      }),
    );
    expect(decision).toMatchObject({
      evidence: { unparsable: ['products[confluence].lastActive', 'lastActive'], inactiveDays: 300 },
    });
  });
});
