import { describe, expect, it } from 'vitest';
import { buildView, renderProposalEmail, renderReviewPage } from '../../lambdas/approval/index.js';
import { renderResultsEmail } from '../../lambdas/mail/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { makeConfig } from '../helpers/config.js';
import { HOSTILE_NAME, itemOf, makeItem, makeProposal } from '../helpers/approval-fixtures.js';

const config = makeConfig((c) => {
  c.approval.reviewBaseUrl = 'https://review.example.com';
});
const EXPIRES = Date.parse('2026-11-04T02:00:00Z');
const LINK = 'https://review.example.com/review/sched-2026-11-01?t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

function view(
  items: ProposalItem[],
  overrides: Parameters<typeof makeProposal>[1] = {},
  before: number | undefined = 100,
) {
  return buildView(config, makeProposal(items, overrides), items, before, EXPIRES);
}

/** Elements and styles Outlook (Word engine) or Gmail drop or mangle. */
const NOT_EMAIL_SAFE = [/display\s*:\s*(flex|grid)/i, /<script/i, /<link/i, /<style/i, /class=/i, /position\s*:/i];

describe('proposal email', () => {
  const items = [
    ...Array.from({ length: 12 }, () => makeItem()),
    makeItem({ name: HOSTILE_NAME }),
    itemOf('MOVE_TO_NONBILLABLE'),
    itemOf('MOVE_TO_BILLABLE', { state: 'APPROVED', decidedBy: 'system:auto-approve' }),
  ];

  it('escapes names and emails from the API everywhere in the HTML part', () => {
    const mail = renderProposalEmail({
      view: view(items),
      config,
      approver: 'it-admin@example.com',
      link: LINK,
      rowsPerAction: 20,
    });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain(`onerror="alert`);
    expect(mail.html).toContain(
      '&lt;img src=x onerror=&quot;alert(&#39;xss&#39;)&quot;&gt;&amp;&quot;Bobby&#39;&lt;/td&gt;',
    );
  });

  it('uses only table layout and inline styles (no flexbox, grid, classes, style blocks or script)', () => {
    const mail = renderProposalEmail({ view: view(items), config, approver: 'it-admin@example.com', link: LINK });
    for (const bad of NOT_EMAIL_SAFE) expect(mail.html).not.toMatch(bad);
    expect(mail.html).toMatch(/<table role="presentation"/);
  });

  it('shows counts per action, seats before and after, the monthly saving and the expiry in the configured zone', () => {
    const mail = renderProposalEmail({ view: view(items), config, approver: 'it-admin@example.com', link: LINK });
    expect(mail.subject).toBe('Approval needed: 14 Atlassian account changes (proposal sched-2026-11-01)');
    expect(mail.html).toContain('100 → 87');
    expect(mail.html).toContain('$58.50');
    expect(mail.html).toContain('4 Nov 2026, 03:00 CET');
    expect(mail.text).toContain('Guard seats: 100 -> 87 (-13); monthly saving $58.50 at $4.50 per seat');
    expect(mail.text).toContain('Deactivate: 13 waiting for a decision');
    expect(mail.text).toContain('Move to billable policy: 0 waiting for a decision, 1 auto-approved');
  });

  it('lists the first rows of each action with last activity per product and the reason, and points to the rest', () => {
    const mail = renderProposalEmail({
      view: view(items),
      config,
      approver: 'it-admin@example.com',
      link: LINK,
      rowsPerAction: 10,
    });
    expect(mail.html).toContain('Confluence: 2026-04-15<br>Jira: never');
    expect(mail.text).toContain('Confluence 2026-04-15 · Jira never');
    expect(mail.html).toContain('No activity in any product for 200 days');
    expect(mail.html).toContain('... and 3 more items');
    expect(mail.text.match(/^ {2}- /gm)).toHaveLength(12);
  });

  it('carries the personal link in both parts, names its holder and says opening it changes nothing', () => {
    const mail = renderProposalEmail({ view: view(items), config, approver: 'it-admin@example.com', link: LINK });
    expect(mail.html).toContain(`href="${LINK}"`);
    expect(mail.text).toContain(LINK);
    expect(mail.html).toContain('Opening the link changes nothing');
    expect(mail.text).toContain('This link is for it-admin@example.com only');
  });

  it('lists auto-approved items as already approved', () => {
    const mail = renderProposalEmail({ view: view(items), config, approver: 'it-admin@example.com', link: LINK });
    expect(mail.html).toContain('Already approved automatically');
    expect(mail.text).toContain('== Already approved automatically ==');
  });

  it('says prominently that an over-cap proposal needs an override', () => {
    const mail = renderProposalEmail({
      view: view(items, { suspicious: true, suspiciousReasons: ['14 actions exceed the cap of 10'] }),
      config,
      approver: 'it-admin@example.com',
      link: LINK,
    });
    expect(mail.subject).toMatch(/^OVER CAP - override needed:/);
    const preheader = /<div style="display:none[^>]*>([^<]*)<\/div>/.exec(mail.html)?.[1];
    expect(preheader).toMatch(/^Over the cap/);
    expect(mail.html.indexOf('Over the cap: this proposal needs an explicit override')).toBeLessThan(
      mail.html.indexOf('font-size:22px'),
    );
    expect(mail.html).toContain('14 actions exceed the cap of 10');
    expect(mail.text.split('\n')[0]).toContain('OVER THE CAP');
  });

  it('has no review link when everything was approved automatically', () => {
    const auto = [itemOf('MOVE_TO_BILLABLE', { state: 'APPROVED', decidedBy: 'system:auto-approve' })];
    const mail = renderProposalEmail({ view: view(auto), config, approver: 'it-admin@example.com' });
    expect(mail.subject).toMatch(/^Auto-approved: 1 Atlassian account change/);
    expect(mail.html).not.toContain('/review/');
    expect(mail.text).not.toContain('/review/');
  });
});

describe('review page', () => {
  const items = [
    makeItem({ name: HOSTILE_NAME }),
    makeItem(),
    itemOf('MOVE_TO_BILLABLE', { state: 'APPROVED', decidedBy: 'system:auto-approve' }),
  ];
  const page = (overrides = {}) =>
    renderReviewPage({
      view: view(items, overrides),
      config,
      approver: 'it-admin@example.com',
      csrf: 'c'.repeat(32),
      nonce: 'bm9uY2U=',
      approvals: 0,
    });

  it('escapes names and carries no inline event handler or script without the nonce', () => {
    const html = page();
    expect(html).not.toContain('<img');
    const withoutValues = html.replace(/"[^"]*"/g, '""');
    expect(withoutValues).not.toMatch(/<[^>]*\son[a-z]+=/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain('<script nonce="bm9uY2U=">');
  });

  it('offers an unticked "reject" box for each pending item, none for auto-approved ones, and the CSRF field', () => {
    const html = page();
    expect(html.match(/<input type="checkbox" name="drop"[^>]*>/g)).toHaveLength(2);
    expect(html.match(/<input type="checkbox" name="drop"[^>]*>/g)!.join('')).not.toContain('checked');
    expect(html).not.toContain('name="item"');
    expect(html).toContain('<input type="hidden" name="lists" value="deselected">');
    expect(html).toContain('<span class="badge b-auto"');
    expect(html).toContain(`<input type="hidden" name="csrf" value="${'c'.repeat(32)}">`);
    expect(html).toContain('value="approve"');
    expect(html).toContain('value="reject"');
  });

  it('keeps the filter box outside the decision form, so Enter in it submits nothing', () => {
    const html = page();
    const form = html.slice(html.indexOf('<form'), html.indexOf('</form>'));
    expect(form).toContain('name="drop"');
    expect(html).toContain('id="search"');
    expect(form).not.toContain('id="search"');
    expect(form).not.toContain('id="filters"');
  });

  it('shows the override box only for an over-cap proposal', () => {
    expect(page()).not.toContain('name="override"');
    expect(page({ suspicious: true, suspiciousReasons: ['too many'] })).toContain('name="override"');
  });
});

describe('results email (template for the execution step)', () => {
  const items: ProposalItem[] = [
    makeItem({ state: 'DONE' }),
    makeItem({ state: 'DONE' }),
    makeItem({ state: 'FAILED', name: HOSTILE_NAME, note: 'HTTP 403: <b>forbidden</b>' }),
    itemOf('MOVE_TO_NONBILLABLE', {
      state: 'SKIPPED',
      note: 'active again since the proposal (Confluence 2026-11-02)',
    }),
    makeItem({ state: 'REJECTED' }),
  ];
  const out = renderResultsEmail({
    proposal: makeProposal(items, { status: 'APPROVED', decidedBy: 'it-admin@example.com' }),
    items,
    config,
    finishedAt: Date.parse('2026-11-02T09:00:00Z'),
    seats: { before: 100, after: 98 },
  });

  it('counts DONE, FAILED and SKIPPED items and leads with the failures', () => {
    expect(out.subject).toBe('1 change FAILED: 2 Atlassian account changes carried out (proposal sched-2026-11-01)');
    expect(out.text).toContain('Failed: 1\nSkipped (re-checked just before acting): 1\nDone: 2');
    expect(out.html.indexOf('Failed · 1')).toBeLessThan(out.html.indexOf('Done · 2'));
    expect(out.html).toContain('100 → 98');
  });

  it('shows each failure with its error and each skip with its reason, escaped', () => {
    expect(out.html).toContain('HTTP 403: &lt;b&gt;forbidden&lt;/b&gt;');
    expect(out.html).not.toContain('<img');
    expect(out.html).toContain('active again since the proposal');
    for (const bad of NOT_EMAIL_SAFE) expect(out.html).not.toMatch(bad);
  });

  it('attaches every item with its final state', () => {
    expect(out.csv.split('\r\n').filter(Boolean)).toHaveLength(items.length + 1);
    expect(out.csv).toContain(',FAILED,');
  });

  it('names who approved it, and has no waiting line once every item is decided', () => {
    expect(out.text).toContain('Approved by it-admin@example.com.');
    expect(out.text).not.toContain('Still waiting');
    expect(out.html).not.toContain('still wait for the approvers');
  });

  it('in a round run while people still decide, says configuration approved it and how many items wait', () => {
    const decided = [makeItem({ state: 'DONE' }), makeItem({ state: 'SKIPPED' })];
    const mail = renderResultsEmail({
      proposal: makeProposal(decided, { status: 'READY', itemCount: 9 }),
      items: decided,
      config,
      finishedAt: Date.parse('2026-11-02T09:00:00Z'),
    });
    expect(mail.text).toContain('Still waiting for the approvers (not in this mail): 7');
    expect(mail.text).toContain('Approved by configuration (approval.autoApprove).');
    expect(mail.html).toContain('7 items still wait for the approvers');
    expect(mail.html).not.toContain('approved by the approvers');
  });

  it('says so when every approved change went through', () => {
    const ok = [makeItem({ state: 'DONE' })];
    const mail = renderResultsEmail({
      proposal: makeProposal(ok),
      items: ok,
      config,
      finishedAt: Date.parse('2026-11-02T09:00:00Z'),
    });
    expect(mail.subject).toMatch(/^Done: 1 Atlassian account change carried out/);
    expect(mail.html).toContain('Every approved change was handled');
  });
});

describe('run alert email', () => {
  it('says the run proposed nothing and why, escaping what came from the API', async () => {
    const { renderAlertEmail } = await import('../../lambdas/approval/index.js');
    const mail = renderAlertEmail(
      {
        runId: 'plan-1',
        kind: 'blocked',
        reasons: ['Break-glass account <script>x</script>@example.com is inactive, not active'],
        at: Date.parse('2026-11-01T02:00:00Z'),
      },
      { orgId: 'org-1', schedules: { plan: 'cron(0 2 * * ? *)', monthlyReport: 'cron(0 7 1 * ? *)', timeZone: 'UTC' } },
    );
    expect(mail.subject).toBe('ALERT - Nightly run blocked by a safety check (run plan-1)');
    expect(mail.html).not.toContain('<script>x</script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(mail.text).toContain('proposed nothing');
    expect(mail.text).toContain('- Break-glass account');
  });
});
