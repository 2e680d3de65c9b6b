import { describe, expect, it } from 'vitest';
import { csvCell, proposalCsv, toCsv } from '../../lambdas/mail/index.js';
import { HOSTILE_NAME, itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { parseCsv } from '../helpers/csv.js';

describe('CSV of a proposal', () => {
  it('quotes commas, quotes and line breaks as RFC 4180 says, and ends lines with CRLF', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Doe, Jane')).toBe('"Doe, Jane"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(toCsv(['a', 'b'], [['1', undefined]])).toBe('\uFEFFa,b\r\n1,\r\n');
  });

  it.each(['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd'])(
    'keeps %j from running as a spreadsheet formula',
    (value) => {
      const cell = csvCell(value);
      const [[read]] = parseCsv(`${cell}\r\n`) as [[string]];
      expect(read.startsWith("'")).toBe(true);
      expect(read.slice(1)).toBe(value);
    },
  );

  it('round-trips every item, a hostile name included, with one last-active column per product', () => {
    const items = [
      makeItem({ name: HOSTILE_NAME }),
      itemOf('MOVE_TO_BILLABLE', { name: '=cmd|" /C calc"!A0', email: undefined }),
    ];
    const rows = parseCsv(proposalCsv(items, 'Europe/Berlin'));
    expect(rows[0]).toEqual([
      'account_id',
      'name',
      'email',
      'action',
      'state',
      'decided_by',
      'reason',
      'summary',
      'policy_id',
      'inactive_days',
      'last_active_confluence',
      'last_active_jira-software',
    ]);
    expect(rows).toHaveLength(3);
    expect(rows[1]![1]).toBe(HOSTILE_NAME);
    expect(rows[1]!.slice(-2)).toEqual(['2026-04-15', 'never']);
    expect(rows[2]![1]).toBe(`'=cmd|" /C calc"!A0`);
    expect(rows[2]![2]).toBe('');
    expect(rows[2]![3]).toBe('MOVE_TO_BILLABLE');
  });
});
