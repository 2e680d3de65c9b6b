import { describe, expect, it } from 'vitest';
import { storedBytes } from '../bench/common.js';
import { AUDIT_TABLE, STATE_TABLE } from '../../lambdas/store/tables.js';

const S = (v: string) => ({ S: v });
const N = (v: string) => ({ N: v });

describe('bench storage bytes (DynamoDB storage rules)', () => {
  it('an audit record: its size + 100 in the table, and per keys-only index its keys + 100', () => {
    const record = {
      stream: S('RUN#r1#1'), // 6 + 8
      seq: N('12'), // 3 + 2
      at: S('2026-12-03T20:00:00.000Z'), // 2 + 24
      day: S('2026-12-03'), // 3 + 10
      accountId: S('acc-1'), // 9 + 5
      proposalId: S('p1'), // 10 + 2
      details: S('x'.repeat(400)), // 7 + 400
    };
    const size = 14 + 5 + 26 + 13 + 14 + 12 + 407;
    const keys = 14 + 5 + 26; // stream, seq, at (in every index)
    const copies = [keys + 14, keys + 13, keys + 12].map((b) => b + 100); // + accountId | day | proposalId
    expect(storedBytes(AUDIT_TABLE, record)).toBe(size + 100 + copies.reduce((a, b) => a + b, 0));
  });

  it('an index the item has no key for holds nothing; an ALL index holds the whole item again', () => {
    const plain = { stream: S('s'), seq: N('1'), at: S('t') };
    expect(storedBytes(AUDIT_TABLE, plain)).toBe(6 + 1 + 3 + 2 + 2 + 1 + 100);
    const item = { pk: S('P#1'), sk: S('ITEM#a'), gsi1pk: S('g'), gsi1sk: S('h') };
    const size = 2 + 3 + 2 + 6 + 6 + 1 + 6 + 1;
    expect(storedBytes(STATE_TABLE, item)).toBe(2 * (size + 100));
    expect(storedBytes(STATE_TABLE, { pk: S('P#1'), sk: S('ITEM#a'), gsi1pk: S('g') })).toBe(
      2 + 3 + 2 + 6 + 6 + 1 + 100,
    );
  });
});
