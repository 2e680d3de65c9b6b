import { describe, expect, it } from 'vitest';
import type { ItemState, ProposalItem } from '../../lambdas/domain/index.js';
import { countOutcomes } from '../../lambdas/execute/index.js';
import { makeItem } from '../helpers/approval-fixtures.js';
import { EXEC_NOW, EXEC_NOW_MS, hoursFromNow } from '../helpers/execute-fixtures.js';

const item = (state: ItemState, notBefore?: string): ProposalItem =>
  makeItem({ state, ...(notBefore !== undefined && { notBefore }) });
const many = (n: number, state: ItemState) => Array.from({ length: n }, () => item(state));
const zero = { done: 0, failed: 0, skipped: 0, handedOff: 0, waiting: 0 };

describe('countOutcomes: the round’s items by outcome', () => {
  it('counts nothing for no items, and has no resume time', () => {
    expect(countOutcomes([], EXEC_NOW_MS)).toStrictEqual(zero);
  });

  it('counts each settled state separately', () => {
    const items = [...many(5, 'DONE'), ...many(4, 'FAILED'), ...many(3, 'SKIPPED'), ...many(2, 'HANDED_OFF')];
    expect(countOutcomes(items, EXEC_NOW_MS)).toStrictEqual({
      done: 5,
      failed: 4,
      skipped: 3,
      handedOff: 2,
      waiting: 0,
    });
  });

  it.each(['PROPOSED', 'REJECTED', 'EXPIRED'] as const)(
    'does not count %s items (never part of the round)',
    (state) => {
      expect(countOutcomes(many(3, state), EXEC_NOW_MS)).toStrictEqual(zero);
    },
  );

  it.each(['APPROVED', 'IN_FLIGHT'] as const)('counts %s items as waiting', (state) => {
    expect(countOutcomes(many(2, state), EXEC_NOW_MS)).toStrictEqual({ ...zero, waiting: 2, resumeAt: EXEC_NOW });
  });

  type Row = [string, (string | undefined)[], string];
  const rows: Row[] = [
    ['resumes now when no waiting item has a date', [undefined, undefined], EXEC_NOW],
    ['resumes at the only date', [hoursFromNow(48)], hoursFromNow(48)],
    [
      'resumes at the earliest of several dates',
      [hoursFromNow(72), hoursFromNow(5), hoursFromNow(30)],
      hoursFromNow(5),
    ],
    ['resumes now when a dated item waits beside an undated one', [hoursFromNow(72), undefined], EXEC_NOW],
    ['resumes now when an undated item comes first', [undefined, hoursFromNow(72)], EXEC_NOW],
    ['resumes now, not in the past, when a date has passed', [hoursFromNow(-24)], EXEC_NOW],
    ['resumes now when a passed date waits beside a future one', [hoursFromNow(24), hoursFromNow(-24)], EXEC_NOW],
    ['resumes at a date exactly now', [hoursFromNow(0)], EXEC_NOW],
  ];
  it.each(rows)('%s', (_, dates, resumeAt) => {
    const items = dates.map((d) => item('APPROVED', d));
    expect(countOutcomes(items, EXEC_NOW_MS)).toStrictEqual({ ...zero, waiting: dates.length, resumeAt });
  });

  it('takes the resume time from waiting items only (a settled item’s old date is ignored)', () => {
    const items = [item('DONE', hoursFromNow(1)), item('SKIPPED', hoursFromNow(2)), item('APPROVED', hoursFromNow(10))];
    expect(countOutcomes(items, EXEC_NOW_MS)).toStrictEqual({
      ...zero,
      done: 1,
      skipped: 1,
      waiting: 1,
      resumeAt: hoursFromNow(10),
    });
  });

  // BUG (finish.ts:32-36): a notBefore that does not parse makes Math.max(NaN, now) NaN, so the minimum
  // is NaN and `new Date(NaN).toISOString()` throws RangeError: the finish step fails and the
  // execution's Catch alerts the approvers for what is one bad field. Expected: treat it as due now.
  it('resumes now, instead of throwing, when a waiting item’s date does not parse', () => {
    const items = [item('APPROVED', 'next tuesday'), item('APPROVED', hoursFromNow(5))];
    expect(countOutcomes(items, EXEC_NOW_MS)).toStrictEqual({ ...zero, waiting: 2, resumeAt: EXEC_NOW });
  });
});
