import { describe, expect, it } from 'vitest';
import { buildView, renderProposalEmail, renderReviewPage } from '../../lambdas/approval/index.js';
import { proRatedColumns } from '../../lambdas/approval/mail/proposal-csv.js';
import { proposalCsv } from '../../lambdas/mail/index.js';
import { billingDeadline } from '../../lambdas/reports/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { makeConfig } from '../helpers/config.js';
import { itemOf, makeItem, makeProposal } from '../helpers/approval-fixtures.js';
import { parseCsv } from '../helpers/csv.js';

const config = makeConfig((c) => {
  c.approval.reviewBaseUrl = 'https://review.example.com';
  c.approval.autoApprove = [];
  c.schedules.timeZone = 'UTC';
  c.execution = { warnBeforeDays: 7 };
  c.finance = {
    ...c.finance,
    billingDay: 15,
    timeZone: 'UTC',
    seatPrice: 5,
    currency: 'EUR',
    landBeforeBillingDay: { enabled: true },
  };
});
const PLAN = Date.parse('2026-12-05T02:00:00Z');
const EXPIRES = PLAN + 72 * 3_600_000;
const deadline = billingDeadline(PLAN, {
  cycle: { billingDay: 15, timeZone: 'UTC' },
  land: config.finance.landBeforeBillingDay,
  warnBeforeDays: 7,
})!;
const back = itemOf('MOVE_TO_BILLABLE', { name: 'Back To Billable' });
const items: ProposalItem[] = [makeItem(), makeItem(), itemOf('MOVE_TO_NONBILLABLE'), back];

const view = (nowMs: number, withDeadline = true) =>
  buildView(config, makeProposal(items), items, 100, EXPIRES, {
    nowMs,
    ...(withDeadline && { deadline }),
  });
const mail = (nowMs: number, withDeadline = true) =>
  renderProposalEmail({
    view: view(nowMs, withDeadline),
    config,
    approver: 'it-admin@example.com',
    link: 'https://review.example.com/r?t=x',
  });

describe('billing day in the proposal email', () => {
  it('says by when to approve each kind to save from the billing day, and what approving later costs', () => {
    const text = mail(PLAN).text;
    expect(text).toContain(
      '1 move to the nonbillable policy: approve by 14 Dec 2026, 00:00 UTC to save 1 seat × €5.00 = €5.00 a period from the period starting 2026-12-15 (moves run at once after approval, plus a 1-day margin). Approved later, the saving starts one period later, on 2027-01-15.',
    );
    expect(text).toContain(
      '2 deactivations: approve by 7 Dec 2026, 00:00 UTC to save 2 seats × €5.00 = €10.00 a period from the period starting 2026-12-15 (deactivations wait the 7-day warning period, plus a 1-day margin).',
    );
    expect(text).toContain('Nothing is credited in the current period');
    const html = mail(PLAN).html;
    expect(html).toContain('Billing day 2026-12-15: 10 days away');
    expect(html).toContain('approve by 7 Dec 2026, 00:00 UTC to save 2 seats');
  });

  it('says the saving starts one period later once the billing day cannot be met', () => {
    const text = mail(Date.parse('2026-12-08T09:00:00Z')).text;
    expect(text).toContain(
      '2 deactivations: the billing day 2026-12-15 can no longer be met (deactivations wait the 7-day warning period, plus a 1-day margin; the last approval in time was 7 Dec 2026, 00:00 UTC). Approved now, they save 2 seats × €5.00 = €10.00 a period from the period starting 2027-01-15, one period later.',
    );
    expect(text).toContain('1 move to the nonbillable policy: approve by 14 Dec 2026');
  });

  it('names no deadline when the plan recorded none', () => {
    const text = mail(PLAN, false).text;
    expect(text).not.toContain('approve by');
    expect(text).not.toContain('billing day');
  });

  it('flags a move back to billable with its pro-rated cost and totals the flags', () => {
    // Period 15 November - 14 December (30 days); from 5 December 10 days are left: 5 x 10 / 30.
    const m = mail(PLAN);
    expect(m.text).toContain('Back To Billable');
    expect(m.text).toContain('Adds a seat mid-period: up to €1.67 this period (10 of 30 days, pro rata).');
    expect(m.text).toContain(
      '1 change adds a seat mid-period: up to €1.67 pro-rated for the current period (to 2026-12-14;',
    );
    expect(m.html).toContain('Pro-rated this period');
    expect(m.html).toContain('Adds a seat mid-period: up to €1.67 this period (10 of 30 days, pro rata)');
    const other = mail(PLAN, false);
    expect(other.text).toContain('1 change adds a seat mid-period');
  });
});

describe('billing day on the review page and in the CSV', () => {
  it('shows the same sentences, the pro-rated card and the flag on the row', () => {
    const page = renderReviewPage({
      view: view(Date.parse('2026-12-08T09:00:00Z')),
      config,
      approver: 'it-admin@example.com',
      csrf: 'c',
      nonce: 'n',
      approvals: 0,
    });
    expect(page).toContain('Billing day 2026-12-15');
    expect(page).toContain('the billing day 2026-12-15 can no longer be met');
    expect(page).toContain('Pro-rated this period');
    // 8 December: 7 of 30 days left.
    expect(page).toContain('Adds a seat mid-period: up to €1.17 this period (7 of 30 days, pro rata)');
  });

  it('adds the pro-rated cost, days and currency to the row of each item that adds a seat', () => {
    const v = view(PLAN);
    const rows = parseCsv(proposalCsv(v.items, 'UTC', proRatedColumns(v.billing)));
    const header = rows[0]!;
    expect(header.slice(-4)).toEqual(['prorated_cost_this_period', 'prorated_days_left', 'period_days', 'currency']);
    for (const r of rows.slice(1)) {
      expect(r).toHaveLength(header.length);
      const added = r[header.indexOf('account_id')] === back.accountId;
      expect(r.slice(-4)).toEqual(added ? ['1.67', '10', '30', 'EUR'] : ['', '', '', '']);
    }
  });
});

describe('billing lines under Guard Premium', () => {
  const premium = makeConfig((c) => {
    c.approval.autoApprove = [];
    c.schedules.timeZone = 'UTC';
    c.execution = { warnBeforeDays: 7 };
    c.finance = { ...c.finance, tier: 'premium', billingDay: 15, timeZone: 'UTC', seatPrice: 5, currency: 'EUR' };
  });
  const trelloOnly = itemOf('MOVE_TO_NONBILLABLE', {
    evidence: { ...makeItem().evidence, products: [{ key: 'trello' }] },
  });
  const list = [makeItem(), itemOf('MOVE_TO_NONBILLABLE'), trelloOnly, itemOf('MOVE_TO_BILLABLE')];
  const v = buildView(premium, makeProposal(list), list, 100, EXPIRES, { nowMs: PLAN, deadline });

  it('claims no saving for a move to nonbillable of a Confluence user, and no cost for moving a billed one back', () => {
    expect(v.billing.landings.map((l) => [l.kind, l.seats])).toEqual([
      ['moves', 1],
      ['deactivations', 1],
    ]);
    expect(v.billing.proRated.size).toBe(0);
    expect(v.seats).toMatchObject({ removed: 2, added: 0 });
  });
});
