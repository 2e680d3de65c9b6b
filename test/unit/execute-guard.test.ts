import { describe, expect, it } from 'vitest';
import type { Ballot, ProposalMeta } from '../../lambdas/domain/index.js';
import { executable } from '../../lambdas/execute/index.js';
import { approvedProposal, ballot, EXEC_NOW_MS, hoursFromNow } from '../helpers/execute-fixtures.js';

const refused = (why: RegExp | string) => ({ ok: false, why: expect.stringMatching(why) });
const runs = { ok: true, autoApprovedOnly: false };
const autoOnly = { ok: true, autoApprovedOnly: true };

/** A READY proposal (people still deciding) with items approved by configuration. */
const readyWithAuto = (o: Partial<ProposalMeta> = {}) =>
  approvedProposal({ status: 'READY', decidedAt: undefined, decidedBy: undefined, autoApproved: 3, ...o });

type Row = [string, ProposalMeta | undefined, readonly Ballot[], object];

describe('executable: whether any item of a proposal may be acted on', () => {
  const rows: Row[] = [
    ['an APPROVED proposal decided before its deadline', approvedProposal(), [ballot()], runs],
    ['an APPROVED proposal without a deadline', approvedProposal({ expiresAt: undefined }), [ballot()], runs],
    [
      'an APPROVED proposal decided exactly at its deadline',
      approvedProposal({ decidedAt: hoursFromNow(-2), expiresAt: hoursFromNow(-2) }),
      [ballot()],
      runs,
    ],
    [
      'an APPROVED proposal decided this very millisecond',
      approvedProposal({ decidedAt: hoursFromNow(0) }),
      [ballot()],
      runs,
    ],
    [
      'an APPROVED proposal whose deadline has since passed (it was decided in time)',
      approvedProposal({ decidedAt: hoursFromNow(-5), expiresAt: hoursFromNow(-2) }),
      [ballot()],
      runs,
    ],
    ['a READY proposal with auto-approved items, before its deadline', readyWithAuto(), [], autoOnly],
    [
      'a READY proposal with auto-approved items and no deadline',
      readyWithAuto({ expiresAt: undefined }),
      [],
      autoOnly,
    ],
    [
      'a READY proposal with auto-approved items a millisecond before its deadline',
      readyWithAuto({ expiresAt: new Date(EXEC_NOW_MS + 1).toISOString() }),
      [],
      autoOnly,
    ],
    [
      'an APPROVED over-cap proposal every approver approved with the override',
      approvedProposal({ suspicious: true }),
      [
        ballot({ override: true }),
        ballot({ approver: 'security@example.com', override: true }),
        // a rejection's missing override is irrelevant: only approvals carry the override
        ballot({ approver: 'other@example.com', decision: 'reject', override: false }),
      ],
      runs,
    ],
  ];
  it.each(rows)('runs %s', (_, proposal, ballots, expected) => {
    expect(executable(proposal, ballots, EXEC_NOW_MS)).toEqual(expected);
  });

  const refusals: Row[] = [
    ['a missing proposal', undefined, [ballot()], refused(/no such proposal/)],
    [
      'a READY proposal with auto-approved items past its deadline',
      readyWithAuto({ expiresAt: hoursFromNow(-1) }),
      [],
      refused(/expired at .* before it was decided/),
    ],
    [
      'a READY proposal with auto-approved items exactly at its deadline',
      readyWithAuto({ expiresAt: hoursFromNow(0) }),
      [],
      refused(/expired/),
    ],
    [
      'a READY proposal with no auto-approved items',
      readyWithAuto({ autoApproved: 0 }),
      [ballot()],
      refused(/is READY, not APPROVED/),
    ],
    [
      'a READY proposal with no auto-approved count at all',
      readyWithAuto({ autoApproved: undefined }),
      [ballot()],
      refused(/is READY, not APPROVED/),
    ],
    [
      'a READY over-cap proposal, even with auto-approved items',
      readyWithAuto({ suspicious: true }),
      [ballot({ override: true })],
      refused(/is READY, not APPROVED/),
    ],
    ...(['REJECTED', 'EXPIRED', 'ABANDONED', 'BUILDING', 'EMPTY'] as const).map((status): Row => [
      `a ${status} proposal, even with auto-approved items and override ballots`,
      approvedProposal({ status, autoApproved: 5 }),
      [ballot({ override: true })],
      refused(new RegExp(`is ${status}, not APPROVED`)),
    ]),
    [
      'an over-cap proposal approved without the override',
      approvedProposal({ suspicious: true }),
      [ballot({ override: false })],
      refused(/over the caps/),
    ],
    [
      'an over-cap proposal where one of two approvers did not tick the override',
      approvedProposal({ suspicious: true }),
      [ballot({ override: true }), ballot({ approver: 'security@example.com', override: false })],
      refused(/override by every approver/),
    ],
    [
      'an over-cap proposal with no approve ballot at all',
      approvedProposal({ suspicious: true }),
      [],
      refused(/over the caps/),
    ],
    [
      'an over-cap proposal with only override rejections',
      approvedProposal({ suspicious: true }),
      [ballot({ decision: 'reject', override: true })],
      refused(/over the caps/),
    ],
    [
      'an APPROVED proposal with no decision time',
      approvedProposal({ decidedAt: undefined }),
      [ballot()],
      refused(/no decision time/),
    ],
    [
      'an APPROVED proposal decided after its deadline',
      approvedProposal({ decidedAt: hoursFromNow(-1), expiresAt: hoursFromNow(-2) }),
      [ballot()],
      refused(/came after the proposal expired/),
    ],
    [
      'an APPROVED proposal decided a millisecond after its deadline',
      approvedProposal({
        decidedAt: new Date(EXEC_NOW_MS - 999).toISOString(),
        expiresAt: new Date(EXEC_NOW_MS - 1000).toISOString(),
      }),
      [ballot()],
      refused(/came after the proposal expired/),
    ],
    [
      'an APPROVED proposal decided in the future',
      approvedProposal({ decidedAt: hoursFromNow(1) }),
      [ballot()],
      refused(/is in the future/),
    ],
    [
      'an APPROVED proposal decided a millisecond in the future',
      approvedProposal({ decidedAt: new Date(EXEC_NOW_MS + 1).toISOString() }),
      [ballot()],
      refused(/is in the future/),
    ],
  ];
  it.each(refusals)('refuses %s', (_, proposal, ballots, expected) => {
    expect(executable(proposal, ballots, EXEC_NOW_MS)).toEqual(expected);
  });

  it('says nothing of the proposal is executed when it refuses for its status', () => {
    const verdict = executable(approvedProposal({ status: 'REJECTED' }), [], EXEC_NOW_MS);
    expect(verdict).toEqual({
      ok: false,
      why: 'the proposal is REJECTED, not APPROVED: nothing of it is executed',
    });
  });

  it('names both times when the decision came after the deadline', () => {
    const decidedAt = hoursFromNow(-1);
    const expiresAt = hoursFromNow(-2);
    const verdict = executable(approvedProposal({ decidedAt, expiresAt }), [ballot()], EXEC_NOW_MS);
    expect(verdict).toEqual({
      ok: false,
      why: `the decision (${decidedAt}) came after the proposal expired (${expiresAt})`,
    });
  });

  it('names the deadline when an auto-approved round comes too late', () => {
    const expiresAt = hoursFromNow(-1);
    expect(executable(readyWithAuto({ expiresAt }), [], EXEC_NOW_MS)).toEqual({
      ok: false,
      why: `the proposal expired at ${expiresAt} before it was decided`,
    });
  });

  // BUG (guard.ts:31-37): every check of the decision time is a comparison with Date.parse, and a
  // comparison with NaN is false, so a decidedAt that does not parse passes all of them and the
  // proposal is executed. "Never act on unknown": an unreadable decision time should refuse.
  it('refuses an APPROVED proposal whose decision time does not parse', () => {
    const verdict = executable(approvedProposal({ decidedAt: 'yesterday' }), [ballot()], EXEC_NOW_MS);
    expect(verdict.ok).toBe(false);
  });

  // BUG (guard.ts:16): same for the deadline of a READY proposal's auto-approved round: an
  // unparsable expiresAt never counts as passed, so the auto-approved items run forever.
  it('refuses an auto-approved round whose deadline does not parse', () => {
    const verdict = executable(readyWithAuto({ expiresAt: 'not-a-date' }), [], EXEC_NOW_MS);
    expect(verdict.ok).toBe(false);
  });
});
