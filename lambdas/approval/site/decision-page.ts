import type { Config } from '../../config/index.js';
import type { ProposalMeta } from '../../domain/proposal.js';
import type { Ballot } from '../../domain/ballot.js';
import { dateTime, plural } from '../../mail/format.js';
import { messagePage, type PageTone } from './pages.js';
import { deadlineOf } from '../deadline.js';
import type { Settlement } from '../settle.js';

/** The page after a recorded decision: what happened to the proposal because of it. */
export function decisionPage(o: {
  ballot: Ballot;
  settlement: Settlement;
  proposal: ProposalMeta;
  config: Config;
  nonce: string;
}): string {
  const s = o.settlement;
  const id = o.proposal.proposalId;
  let title: string;
  let text: string;
  let tone: PageTone = 'success';
  switch (s.kind) {
    case 'approved':
      title = `Approved: ${plural(s.approved, 'item')} of proposal ${id}`;
      text = `${plural(s.approved, 'item')} will be carried out${s.rejected > 0 ? `; ${plural(s.rejected, 'deselected item')} ${s.rejected === 1 ? 'was' : 'were'} rejected` : ''}. Every change is re-checked just before it is made, and a results email follows.`;
      break;
    case 'rejected':
      title = `Rejected: proposal ${id}`;
      text = `Nothing in it will be carried out (${plural(s.rejected, 'item')} rejected; ${s.why}). The next nightly run proposes again what is still needed.`;
      tone = 'info';
      break;
    case 'pending':
      title = `Your approval of proposal ${id} is recorded`;
      text = `${s.approvals} of ${s.needed} approvals so far. It is carried out once ${s.needed - s.approvals} more ${s.needed - s.approvals === 1 ? 'approver approves' : 'approvers approve'} before ${dateTime(deadlineOf(o.proposal, o.config), o.config.schedules.timeZone)}; a rejection by any approver rejects it.`;
      tone = 'info';
      break;
    case 'already-decided':
      title = 'Your decision is recorded, but the proposal was already decided';
      text = `Another approver's decision completed it a moment earlier (it is now ${s.status ?? 'closed'}). Your link is used up.`;
      tone = 'quiet';
      break;
  }
  return messagePage({ title, text, tone, nonce: o.nonce });
}
