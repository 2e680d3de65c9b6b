import { describe, expect, it } from 'vitest';
import type { MailMessage } from '../../lambdas/domain/ports.js';
import { MailDeliveryError, type ProposalItem } from '../../lambdas/domain/index.js';
import { itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { approvalWorld, linkIn, openLink, submit, type ApprovalWorld } from '../helpers/approval.js';
import { outboxFor } from '../helpers/local.js';

const items = (): ProposalItem[] => [makeItem(), makeItem(), itemOf('MOVE_TO_NONBILLABLE')];
const FAILING = 'security@example.com';
const forgedCsrf = { csrf: 'x'.repeat(43), cookie: `review_csrf=${'x'.repeat(43)}` };

/** Makes every mail to one address fail as SES does for an unverified or suppressed recipient. */
function failMailTo(w: ApprovalWorld, address: string): () => void {
  const mailer = w.deps.mailer as { send: (m: MailMessage) => Promise<{ messageId: string }> };
  const real = mailer.send.bind(mailer);
  mailer.send = async (m) => {
    if (m.to.includes(address)) throw new Error(`MessageRejected: Email address is not verified: ${address}`);
    return real(m);
  };
  return () => void (mailer.send = real);
}

/** Every proposal email one approver received about one proposal, oldest first. */
async function proposalMails(approver: string, proposalId: string) {
  return (await outboxFor(approver)).filter((m) => m.subject.includes(`(proposal ${proposalId})`));
}

describe('a send that fails for one approver', () => {
  it('withdraws every link it issued, audits each link issued and withdrawn, alerts, and the retry sends links that work', async () => {
    const w = await approvalWorld();
    try {
      const meta = await w.seed(items());
      const id = meta.proposalId;
      const restore = failMailTo(w, FAILING);
      await expect(w.service.sendProposal(meta)).rejects.toThrow(MailDeliveryError);
      const [mailed] = await proposalMails('it-admin@example.com', id);
      const early = linkIn(mailed!);
      const token = new URL(early).searchParams.get('t')!;

      // The link from the failed send refuses, GET and POST, and nothing was decided.
      const before = await w.snapshot(id);
      expect((await openLink(early)).status).toBe(410);
      const post = await submit(early, { decision: 'approve', ...forgedCsrf });
      expect(post.status).toBe(410);
      expect(post.html).toContain('withdrawn');
      const after = await w.snapshot(id);
      expect(after.status).toBe('READY');
      expect(after.ballots).toBe(0);
      expect(after.states).toEqual(before.states);

      // Each link was audited when issued and when withdrawn, by its hash prefix only.
      const trail = await w.audit(`PROPOSAL#${id}`);
      const issued = trail.filter((r) => r.event === 'LINK_ISSUED');
      const revoked = trail.filter((r) => r.event === 'LINK_REVOKED');
      expect(issued.map((r) => r.details?.approver).sort()).toEqual(['it-admin@example.com', FAILING]);
      for (const r of issued) expect(r.details?.tokenRef).toMatch(/^[0-9a-f]{8}$/);
      expect(revoked.map((r) => r.details?.tokenRef).sort()).toEqual(issued.map((r) => r.details?.tokenRef).sort());
      expect(trail.some((r) => r.event === 'PROPOSAL_SENT')).toBe(false);
      expect(JSON.stringify(trail)).not.toContain(token.slice(0, 20));
      expect(w.logger.lines.join('\n')).not.toContain(token.slice(0, 20));

      // The approver who was reached is told the link is withdrawn; the failure is logged.
      const alerts = (await outboxFor('it-admin@example.com')).filter((m) => m.subject.includes(`Proposal ${id}`));
      expect(alerts).toHaveLength(1);
      expect(alerts[0]!.body.text).toContain(FAILING);
      expect(w.logger.lines.some((l) => l.includes('"approval.send-failed"'))).toBe(true);

      // The retry mails new links; only those decide, the withdrawn one still refuses.
      restore();
      expect((await w.service.sendProposal(meta)).status).toBe('sent');
      const latest = (await proposalMails('it-admin@example.com', id)).at(-1)!;
      const fresh = linkIn(latest);
      expect(fresh).not.toBe(early);
      expect((await openLink(early)).status).toBe(410);
      const page = await openLink(fresh);
      expect(page.status).toBe(200);
      expect((await submit(fresh, { decision: 'reject', csrf: page.csrf!, cookie: page.cookie! })).status).toBe(200);
      expect((await w.snapshot(id)).status).toBe('REJECTED');
      const sent = (await w.audit(`PROPOSAL#${id}`)).filter((r) => r.event === 'PROPOSAL_SENT');
      expect(sent).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });

  it('refuses a decision through a link whose send has not finished yet', async () => {
    const w = await approvalWorld();
    try {
      const meta = await w.seed(items());
      const id = meta.proposalId;
      // Decide from inside the send, between the first approver's mail and the second one's.
      const mailer = w.deps.mailer as { send: (m: MailMessage) => Promise<{ messageId: string }> };
      const real = mailer.send.bind(mailer);
      let during: { get: number; post: number } | undefined;
      mailer.send = async (m) => {
        const out = await real(m);
        if (!during && m.to.includes('it-admin@example.com')) {
          const link = linkIn((await proposalMails('it-admin@example.com', id))[0]!);
          const page = await openLink(link);
          const post = await submit(link, {
            decision: 'approve',
            csrf: page.csrf!,
            cookie: page.cookie!,
          });
          during = { get: page.status, post: post.status };
        }
        return out;
      };
      await w.service.sendProposal(meta);
      expect(during).toEqual({ get: 200, post: 410 });
      expect((await w.snapshot(id)).ballots).toBe(0);
    } finally {
      await w.stop();
    }
  });

  it('voids the links of an attempt that could not withdraw them, once the retry issues new ones', async () => {
    const w = await approvalWorld();
    try {
      const meta = await w.seed(items());
      const id = meta.proposalId;
      const restore = failMailTo(w, FAILING);
      const tokens = w.deps.tokens as { revoke: (h: string, at: string) => Promise<boolean> };
      const realRevoke = tokens.revoke.bind(tokens);
      tokens.revoke = () => Promise.reject(new Error('ProvisionedThroughputExceededException'));
      await expect(w.service.sendProposal(meta)).rejects.toThrow(MailDeliveryError);
      const early = linkIn((await proposalMails('it-admin@example.com', id))[0]!);
      expect(w.logger.lines.some((l) => l.includes('"approval.withdraw-failed"'))).toBe(true);
      // Not withdrawn, yet it cannot decide: the send never finished.
      const page = await openLink(early);
      expect(page.status).toBe(200);
      const post = await submit(early, { decision: 'reject', csrf: page.csrf!, cookie: page.cookie! });
      expect(post.status).toBe(410);

      restore();
      tokens.revoke = realRevoke;
      expect((await w.service.sendProposal(meta)).status).toBe('sent');
      expect((await openLink(early)).status).toBe(410);
      expect((await w.snapshot(id)).ballots).toBe(0);
    } finally {
      await w.stop();
    }
  });
});
