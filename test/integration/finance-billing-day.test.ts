/**
 * Issue 10, billing-cycle awareness: with `finance.landBeforeBillingDay` on, a nightly plan four days
 * before the billing day (the 5th) records the decide-by dates, and the proposal mail that reaches
 * the SES emulator says by when to approve the moves to save from the next period, that the
 * deactivations (7-day warning + 1-day margin) can no longer make it and save one period later,
 * and flags each move back to billable with its pro-rated cost for the days left in the period.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEmail } from '../../local/ses.js';
import { runPlan } from '../../lambdas/plan/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { makeConfig } from '../helpers/config.js';
import { approvalWorld, type ApprovalWorld } from '../helpers/approval.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';
import { outboxFor } from '../helpers/local.js';
import { parseCsv } from '../helpers/csv.js';

const edit = (c: Record<string, any>) => {
  c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
  c.execution = { warnBeforeDays: 7 };
  c.approval.autoApprove = [];
  c.schedules.timeZone = 'UTC';
  c.finance = {
    ...c.finance,
    billingDay: 5,
    timeZone: 'UTC',
    seatPrice: 5,
    currency: 'EUR',
    landBeforeBillingDay: { enabled: true, windowDays: 14, marginDays: 1 },
  };
};

describe('a plan run four days before the billing day, with landBeforeBillingDay on', { timeout: 300_000 }, () => {
  const org = syntheticOrg({ size: 200, seed: 91 });
  let pw: PlanWorld;
  let aw: ApprovalWorld;
  let proposalId: string;
  let mail: StoredEmail;
  let items: ProposalItem[];

  beforeAll(async () => {
    pw = await planWorld(org, makeConfig(edit));
    aw = await approvalWorld({ db: pw.db, tables: pw.tables, clock: pw.clock, edit });
    // The plan hands its proposal to the real approval step, which mails through the SES emulator.
    const deps = {
      ...pw.deps,
      handoff: async (p: Parameters<typeof aw.service.sendProposal>[0]) => {
        await aw.service.sendProposal(p);
      },
    };
    const result = await runPlan(deps, { runId: 'night-2026-11-01' });
    proposalId = result.proposalId!;
    mail = await aw.mailFor('it-admin@example.com', proposalId);
    items = [...(await aw.items(proposalId)).values()];
  }, 300_000);
  afterAll(async () => {
    await aw?.stop();
    await pw?.stop();
  });

  it('records the billing day and the decide-by dates with the run, in its audit record', async () => {
    const finished = (await aw.audit(`RUN#night-2026-11-01#1`)).find((r) => r.event === 'PLAN_FINISHED');
    expect(finished?.details?.billingDeadline).toMatchObject({
      billingDay: '2026-11-05',
      daysLeft: 4,
      moves: { leadDays: 1, decideBy: '2026-11-04T00:00:00.000Z' },
      deactivations: { leadDays: 8, decideBy: '2026-10-28T00:00:00.000Z' },
    });
  });

  it('mails the decide-by date of the moves and says the deactivations save one period later', () => {
    // Seats freed: the account is in the billable policy and has product access (the plan's evidence).
    const billed = (i: ProposalItem) =>
      i.evidence.policyId === pw.deps.config.policies.billableId &&
      Array.isArray(i.evidence.products) &&
      i.evidence.products.length > 0;
    const count = (a: string) => items.filter((i) => i.action === a && billed(i)).length;
    const moves = count('MOVE_TO_NONBILLABLE');
    const deactivations = count('DEACTIVATE');
    expect(moves).toBeGreaterThan(0);
    expect(deactivations).toBeGreaterThan(0);
    const text = mail.body.text!;
    expect(text).toContain(
      `: approve by 4 Nov 2026, 00:00 UTC to save ${moves} seat${moves === 1 ? '' : 's'} × €5.00 = €${(moves * 5).toFixed(2)} a period from the period starting 2026-11-05`,
    );
    expect(text).toContain(
      `deactivation${deactivations === 1 ? '' : 's'}: the billing day 2026-11-05 can no longer be met (deactivations wait the 7-day warning period, plus a 1-day margin; the last approval in time was 28 Oct 2026, 00:00 UTC). Approved now, they save ${deactivations} seat${deactivations === 1 ? '' : 's'} × €5.00 = €${(deactivations * 5).toFixed(2)} a period from the period starting 2026-12-05, one period later.`,
    );
    expect(mail.body.html).toContain('Billing day 2026-11-05: 4 days away');
  });

  it('flags each move back to billable with its pro-rated cost, and totals them', () => {
    // Period 5 October - 4 November (31 days); from 1 November 4 days are left: 5 x 4 / 31 = 0.65.
    const back = items.filter((i) => i.action === 'MOVE_TO_BILLABLE');
    const adding = back.filter((i) => Array.isArray(i.evidence.products) && i.evidence.products.length > 0);
    expect(adding.length).toBeGreaterThan(0);
    const text = mail.body.text!;
    const flags = text
      .split('\n')
      .filter((l) => l.includes('Adds a seat mid-period: up to €0.65 this period (4 of 31 days, pro rata)'));
    expect(flags).toHaveLength(Math.min(adding.length, 10));
    const total = `€${((adding.length * 5 * 4) / 31).toFixed(2)}`;
    expect(text).toContain(`a seat mid-period: up to ${total} pro-rated for the current period (to 2026-11-04;`);
    expect(mail.body.html).toContain('Pro-rated this period');

    const attachment = mail.attachments.find((a) => a.filename?.endsWith('.csv'))!;
    const rows = parseCsv(Buffer.from(attachment.content, 'base64').toString('utf8'));
    const header = rows[0]!;
    const cost = new Map(
      rows.slice(1).map((r) => [r[header.indexOf('account_id')], r[header.indexOf('prorated_cost_this_period')]]),
    );
    for (const i of items) expect(cost.get(i.accountId), i.accountId).toBe(adding.includes(i) ? '0.65' : '');
  });

  it('sends the same sentences to every approver', async () => {
    const other = (await outboxFor('security@example.com')).find((m) =>
      m.subject.includes(`(proposal ${proposalId})`),
    )!;
    expect(other.body.text).toContain('approve by 4 Nov 2026, 00:00 UTC');
  });
});
