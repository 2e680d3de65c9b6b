import { describe, expect, it } from 'vitest';
import { seatDelta, seatImpact, tallyBallots } from '../../lambdas/approval/index.js';
import type { Ballot } from '../../lambdas/domain/index.js';
import { BILLABLE, NONBILLABLE, itemOf, makeItem } from '../helpers/approval-fixtures.js';

const APPROVERS = ['a@example.com', 'b@example.com', 'c@example.com'];
let t = 0;
function ballot(approver: string, decision: 'approve' | 'reject', deselected: string[] = []): Ballot {
  t += 1;
  return {
    proposalId: 'p',
    approver,
    decision,
    deselected,
    override: false,
    castAt: `2026-11-01T03:00:${String(t).padStart(2, '0')}.000Z`,
    tokenRef: 'abcd1234',
  };
}

describe('quorum', () => {
  it('waits until the quorum of approvals is reached', () => {
    expect(tallyBallots([ballot('a@example.com', 'approve')], 2, APPROVERS)).toEqual({
      kind: 'pending',
      approvals: 1,
      needed: 2,
    });
  });

  it('approves an item only if every approving approver kept it selected', () => {
    const out = tallyBallots(
      [ballot('a@example.com', 'approve', ['x']), ballot('b@example.com', 'approve', ['y'])],
      2,
      APPROVERS,
    );
    expect(out.kind).toBe('approved');
    expect(out.kind === 'approved' && [...out.deselected].sort()).toEqual(['x', 'y']);
    expect(out.kind === 'approved' && out.approvers).toEqual(['a@example.com', 'b@example.com']);
  });

  it('lets one rejection veto the proposal, even after the quorum of approvals', () => {
    const out = tallyBallots(
      [ballot('a@example.com', 'approve'), ballot('b@example.com', 'reject'), ballot('c@example.com', 'approve')],
      2,
      APPROVERS,
    );
    expect(out).toEqual({ kind: 'rejected', by: ['b@example.com'] });
  });

  it('ignores ballots of people no longer among the approvers', () => {
    expect(tallyBallots([ballot('gone@example.com', 'approve')], 1, APPROVERS)).toEqual({
      kind: 'pending',
      approvals: 0,
      needed: 1,
    });
    expect(
      tallyBallots([ballot('gone@example.com', 'reject'), ballot('a@example.com', 'approve')], 1, APPROVERS).kind,
    ).toBe('approved');
  });
});

describe('Guard seat impact', () => {
  const options = { billablePolicyId: BILLABLE, seatPrice: 4.5, currency: 'USD' };

  it('frees a seat for a billed deactivation or move to nonbillable, and adds one for a move to billable', () => {
    expect(seatDelta('DEACTIVATE', { policyId: BILLABLE, products: [{ key: 'confluence' }] }, BILLABLE)).toBe(1);
    expect(seatDelta('MOVE_TO_NONBILLABLE', { policyId: BILLABLE, products: [{ key: 'confluence' }] }, BILLABLE)).toBe(
      1,
    );
    expect(seatDelta('MOVE_TO_BILLABLE', { policyId: NONBILLABLE, products: [{ key: 'confluence' }] }, BILLABLE)).toBe(
      -1,
    );
  });

  it('counts no seat for accounts that are not billed now (nonbillable policy, or no product access)', () => {
    expect(seatDelta('DEACTIVATE', { policyId: NONBILLABLE, products: [{ key: 'confluence' }] }, BILLABLE)).toBe(0);
    expect(seatDelta('DEACTIVATE', { policyId: BILLABLE, products: [] }, BILLABLE)).toBe(0);
  });

  it('computes before, after and the monthly saving at the configured price', () => {
    const items = [
      makeItem(),
      makeItem(),
      itemOf('MOVE_TO_NONBILLABLE'),
      itemOf('MOVE_TO_BILLABLE'),
      makeItem({ evidence: { policyId: NONBILLABLE, products: [{ key: 'confluence' }] } }),
    ];
    expect(seatImpact(items, { ...options, before: 100 })).toEqual({
      before: 100,
      after: 98,
      removed: 3,
      added: 1,
      monthlySaving: 9,
      seatPrice: 4.5,
      currency: 'USD',
    });
  });

  it('still reports the change when the run recorded no seat count', () => {
    const impact = seatImpact([makeItem()], options);
    expect(impact.before).toBeUndefined();
    expect(impact.after).toBeUndefined();
    expect(impact.monthlySaving).toBe(4.5);
  });
});
