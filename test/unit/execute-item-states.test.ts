import { describe, expect, it } from 'vitest';
import { ItemState, predecessorsOf } from '../../lambdas/domain/index.js';

const ALL = Object.values(ItemState);
const TERMINAL = [
  ItemState.REJECTED,
  ItemState.EXPIRED,
  ItemState.DONE,
  ItemState.FAILED,
  ItemState.SKIPPED,
  ItemState.HANDED_OFF,
];

describe('predecessorsOf: items only move forward', () => {
  const rows: [ItemState, ItemState[]][] = [
    ['PROPOSED', []],
    ['APPROVED', ['PROPOSED']],
    ['REJECTED', ['PROPOSED']],
    ['EXPIRED', ['PROPOSED']],
    ['IN_FLIGHT', ['APPROVED']],
    ['DONE', ['IN_FLIGHT']],
    ['FAILED', ['IN_FLIGHT']],
    ['SKIPPED', ['APPROVED', 'IN_FLIGHT']],
    ['HANDED_OFF', ['APPROVED', 'IN_FLIGHT']],
  ];
  it.each(rows)('%s may be reached from %j', (to, from) => {
    expect([...predecessorsOf(to)].sort()).toEqual([...from].sort());
  });

  it('covers every state', () => {
    expect(rows.map(([s]) => s).sort()).toEqual([...ALL].sort());
  });

  it('never lets an APPROVED item reach DONE or FAILED without being claimed (IN_FLIGHT) first', () => {
    expect(predecessorsOf('DONE')).not.toContain('APPROVED');
    expect(predecessorsOf('FAILED')).not.toContain('APPROVED');
  });

  it.each(TERMINAL)('%s is terminal: it precedes no state', (terminal) => {
    for (const to of ALL) expect(predecessorsOf(to)).not.toContain(terminal);
  });

  it('never moves an item back to APPROVED (a resumed run cannot act twice)', () => {
    expect(predecessorsOf('APPROVED')).toEqual(['PROPOSED']);
  });
});
