/** The pure parts of undo: which executed items can be reversed, their reverse, the undo's id and evidence. */
import { describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { reverseItem, undoable, UndoError, undoOf, undoProposalId } from '../../lambdas/execute/index.js';
import { makeItem } from '../helpers/approval-fixtures.js';
import { makeConfig } from '../helpers/config.js';

const config = makeConfig();
const { billableId, nonbillableId } = config.policies;
const AT = '2026-12-01T10:00:00.000Z';
const done = (o: Partial<ProposalItem>): ProposalItem =>
  makeItem({
    proposalId: 'p-1',
    state: 'DONE',
    executedAt: '2026-11-20T08:00:00.000Z',
    reason: 'STALE',
    summary: 'No activity for 200 days.',
    ...o,
  });

describe('undoable', () => {
  const items = [
    done({ accountId: 'a', action: 'DEACTIVATE' }),
    done({ accountId: 'b', action: 'MOVE_TO_NONBILLABLE' }),
    done({ accountId: 'c', action: 'MOVE_TO_BILLABLE' }),
    done({ accountId: 'd', action: 'REACTIVATE' }),
    makeItem({ proposalId: 'p-1', accountId: 'e', action: 'DEACTIVATE', state: 'SKIPPED', outcomeCode: 'USER_KEPT' }),
  ];

  it('takes every executed deactivation and move, never a reactivation or an unexecuted item', () => {
    expect(undoable(items, 'p-1').map((i) => i.accountId)).toEqual(['a', 'b', 'c']);
  });

  it('takes exactly the named accounts', () => {
    expect(undoable(items, 'p-1', ['c', 'a', 'a']).map((i) => i.accountId)).toEqual(['a', 'c']);
  });

  it('refuses named accounts it cannot undo, saying why for each', () => {
    expect(() => undoable(items, 'p-1', ['a', 'e', 'd', 'zz'])).toThrow(
      new UndoError(
        'cannot undo: e was not changed (its item is SKIPPED USER_KEPT); d: a REACTIVATE is not undone (it is itself an undo); zz is not in proposal p-1.',
      ),
    );
  });

  it('says the state alone when an item has no outcome code', () => {
    expect(() => undoable([makeItem({ proposalId: 'p-1', accountId: 'f', state: 'FAILED' })], 'p-1', ['f'])).toThrow(
      'cannot undo: f was not changed (its item is FAILED).',
    );
  });

  it('lists exactly ten problems without a remainder', () => {
    const ids = Array.from({ length: 10 }, (_, i) => `x${i}`);
    expect(() => undoable(items, 'p-1', ids)).toThrow(/x9 is not in proposal p-1\.$/);
  });

  it('lists at most ten problems', () => {
    const ids = Array.from({ length: 13 }, (_, i) => `x${i}`);
    expect(() => undoable(items, 'p-1', ids)).toThrow(/x9 is not in proposal p-1; and 3 more\.$/);
  });

  it('refuses an empty list, and a proposal with nothing executed', () => {
    expect(() => undoable(items, 'p-1', [])).toThrow('name at least one account to undo.');
    expect(() => undoable([items[3]!, items[4]!], 'p-1')).toThrow(
      /nothing to undo: proposal p-1 has no executed change/,
    );
  });
});

describe('reverseItem', () => {
  it('reactivates a deactivation, enabling after a disable and restoring after a suspend', () => {
    const disabled = reverseItem(
      done({ accountId: 'a', action: 'DEACTIVATE', outcomeMessage: 'disable succeeded' }),
      'u-1',
      config,
      AT,
    );
    expect(disabled).toMatchObject({
      proposalId: 'u-1',
      accountId: 'a',
      action: 'REACTIVATE',
      reason: 'UNDO',
      state: 'PROPOSED',
      updatedAt: AT,
      summary: 'Undo of proposal p-1: enable the account deactivated on 2026-11-20 (STALE: No activity for 200 days.)',
    });
    expect(undoOf(disabled)).toEqual({
      proposalId: 'p-1',
      action: 'DEACTIVATE',
      call: 'enable',
      executedAt: '2026-11-20T08:00:00.000Z',
    });
    const suspended = reverseItem(
      done({ action: 'DEACTIVATE', outcomeMessage: 'suspend succeeded' }),
      'u-1',
      config,
      AT,
    );
    expect(undoOf(suspended)?.call).toBe('restore');
  });

  it('reads the call only from the start of the outcome message', () => {
    const odd = done({ action: 'DEACTIVATE', outcomeMessage: 'reconciled after a suspend attempt' });
    expect(undoOf(reverseItem(odd, 'u', config, AT))?.call).toBe('enable');
    const suspendMode = { ...config, deactivation: { ...config.deactivation, mode: 'suspend' as const } };
    const oddDisable = done({ action: 'DEACTIVATE', outcomeMessage: 'reconciled after a disable attempt' });
    expect(undoOf(reverseItem(oddDisable, 'u', suspendMode, AT))?.call).toBe('restore');
  });

  it('without a recorded call, follows the configured mode', () => {
    const reconciled = done({ action: 'DEACTIVATE', outcomeMessage: 'reconciled: found in the target state' });
    expect(undoOf(reverseItem(reconciled, 'u', config, AT))?.call).toBe('enable');
    const suspendMode = { ...config, deactivation: { ...config.deactivation, mode: 'suspend' as const } };
    expect(undoOf(reverseItem(reconciled, 'u', suspendMode, AT))?.call).toBe('restore');
  });

  it('moves back to the policy recorded in the evidence, when it is a configured one', () => {
    const moved = done({
      accountId: 'b',
      action: 'MOVE_TO_NONBILLABLE',
      evidence: { policyId: billableId, products: [] },
    });
    const back = reverseItem(moved, 'u-1', config, AT);
    expect(back.action).toBe('MOVE_TO_BILLABLE');
    expect(undoOf(back)).toMatchObject({ proposalId: 'p-1', action: 'MOVE_TO_NONBILLABLE', policyId: billableId });
    expect(back.evidence.products).toEqual([]);
    expect(back.summary).toBe(
      `Undo of proposal p-1: move back to the policy ${billableId}, left on 2026-11-20 (STALE: No activity for 200 days.)`,
    );
    const toNon = reverseItem(
      done({ action: 'MOVE_TO_BILLABLE', evidence: { policyId: nonbillableId } }),
      'u',
      config,
      AT,
    );
    expect([toNon.action, undoOf(toNon)?.policyId]).toEqual(['MOVE_TO_NONBILLABLE', nonbillableId]);
  });

  it('honours a recorded policy that is the other configured one', () => {
    const odd = done({ action: 'MOVE_TO_NONBILLABLE', evidence: { policyId: nonbillableId }, executedAt: undefined });
    const back = reverseItem(odd, 'u', config, AT);
    expect(undoOf(back)).toEqual({ proposalId: 'p-1', action: 'MOVE_TO_NONBILLABLE', policyId: nonbillableId });
    expect(back.evidence).not.toHaveProperty('products');
  });

  it('a recorded policy that is not configured (or none) falls back to the configured counterpart', () => {
    for (const evidence of [{ policyId: 'policy-attacker' }, {}, { policyId: '' }]) {
      expect(undoOf(reverseItem(done({ action: 'MOVE_TO_NONBILLABLE', evidence }), 'u', config, AT))?.policyId).toBe(
        billableId,
      );
      expect(undoOf(reverseItem(done({ action: 'MOVE_TO_BILLABLE', evidence }), 'u', config, AT))?.policyId).toBe(
        nonbillableId,
      );
    }
  });

  it('carries the name and email, and leaves out what is absent', () => {
    const r = reverseItem(
      done({ action: 'DEACTIVATE', email: 'x@example.com', name: 'X', executedAt: undefined }),
      'u',
      config,
      AT,
    );
    expect(r).toMatchObject({ email: 'x@example.com', name: 'X' });
    expect(r.summary).toMatch(/^Undo of proposal p-1: enable the account deactivated \(/);
    expect(undoOf(r)).not.toHaveProperty('executedAt');
    const hidden = reverseItem(done({ action: 'DEACTIVATE', email: undefined, name: undefined }), 'u', config, AT);
    expect(hidden).not.toHaveProperty('email');
    expect(hidden).not.toHaveProperty('name');
  });
});

describe('undoProposalId', () => {
  it('is the same for the same accounts in any order, and differs for others', () => {
    expect(undoProposalId('p-1', ['b', 'a'])).toBe(undoProposalId('p-1', ['a', 'b']));
    expect(undoProposalId('p-1', ['a'])).not.toBe(undoProposalId('p-1', ['a', 'b']));
    expect(undoProposalId('p-1', ['a'])).toMatch(/^undo-p-1-[0-9a-f]{10}$/);
  });
});

describe('undoOf', () => {
  it('reads a well-formed record and ignores a malformed one', () => {
    expect(undoOf({ evidence: {} })).toBeUndefined();
    expect(undoOf({ evidence: { undo: 'x' } })).toBeUndefined();
    expect(undoOf({ evidence: { undo: null } })).toBeUndefined();
    expect(undoOf({ evidence: { undo: { proposalId: 'p', action: 'DEACTIVATE', policyId: 5 } } })).toEqual({
      proposalId: 'p',
      action: 'DEACTIVATE',
    });
    expect(undoOf({ evidence: { undo: { proposalId: 1, action: 'DEACTIVATE' } } })).toBeUndefined();
    expect(undoOf({ evidence: { undo: { proposalId: 'p', action: 'EXPLODE' } } })).toBeUndefined();
    expect(
      undoOf({ evidence: { undo: { proposalId: 'p', action: 'DEACTIVATE', call: 'x', policyId: '', executedAt: 3 } } }),
    ).toEqual({ proposalId: 'p', action: 'DEACTIVATE' });
    expect(
      undoOf({
        evidence: {
          undo: { proposalId: 'p', action: 'MOVE_TO_BILLABLE', call: 'restore', policyId: 'q', executedAt: 't' },
        },
      }),
    ).toEqual({
      proposalId: 'p',
      action: 'MOVE_TO_BILLABLE',
      call: 'restore',
      policyId: 'q',
      executedAt: 't',
    });
  });
});
