import { describe, expect, it } from 'vitest';
import type { Grant } from '../../lambdas/approval/access.js';
import { checkChoice, type Choice } from '../../lambdas/approval/decide.js';
import { itemOf, makeItem, makeProposal } from '../helpers/approval-fixtures.js';

function grant(): Grant {
  const items = [makeItem(), makeItem(), makeItem(), itemOf('MOVE_TO_BILLABLE', { state: 'APPROVED' })];
  const proposal = makeProposal(items);
  const token = {
    tokenHash: 'f'.repeat(64),
    proposalId: proposal.proposalId,
    approver: 'it-admin@example.com',
    contentHash: proposal.contentHash!,
    issuedAt: proposal.createdAt,
    expiresAt: 2_000_000_000,
  };
  return { token, tokenHash: token.tokenHash, tokenRef: 'ffffffff', proposal, items };
}

const choice = (c: Partial<Choice>): Choice => ({
  decision: 'approve',
  deselected: [],
  listsDeselected: true,
  override: false,
  ...c,
});

describe('the review form posts what is deselected', () => {
  it('keeps every pending item but the deselected ones', () => {
    const g = grant();
    const [a, b, c] = g.items.map((i) => i.accountId);
    const checked = checkChoice(choice({ deselected: [b!, b!] }), g);
    expect(checked).toMatchObject({ ok: true, ballot: { decision: 'approve', deselected: [b] } });
    expect(checked.ok && checked.ballot.deselected).not.toContain(a);
    expect(checked.ok && checked.ballot.deselected).not.toContain(c);
  });

  it('refuses an approval from a form that does not say it lists deselections (an older page)', () => {
    expect(checkChoice(choice({ listsDeselected: false }), grant())).toMatchObject({ ok: false, refusal: 'BAD_FORM' });
  });

  it('refuses to approve with every pending item deselected, or with items that are not pending', () => {
    const g = grant();
    const ids = g.items.map((i) => i.accountId);
    expect(checkChoice(choice({ deselected: ids.slice(0, 3) }), g)).toMatchObject({ ok: false, refusal: 'BAD_FORM' });
    expect(checkChoice(choice({ deselected: [ids[3]!] }), g)).toMatchObject({ ok: false, refusal: 'BAD_FORM' });
    expect(checkChoice(choice({ deselected: ['712020:nobody'] }), g)).toMatchObject({ ok: false, refusal: 'BAD_FORM' });
  });

  it('accepts a rejection from any form, recording no deselections', () => {
    const checked = checkChoice(choice({ decision: 'reject', listsDeselected: false }), grant());
    expect(checked).toMatchObject({ ok: true, ballot: { decision: 'reject', deselected: [] } });
  });
});
