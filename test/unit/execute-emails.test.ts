import { describe, expect, it } from 'vitest';
import type { ItemState, ProposalItem } from '../../lambdas/domain/index.js';
import { handoffCsv, mailerExecMail, renderWarningEmail } from '../../lambdas/execute/index.js';
import { HOSTILE_NAME, itemOf, makeItem } from '../helpers/approval-fixtures.js';
import { makeConfig } from '../helpers/config.js';
import { parseCsv } from '../helpers/csv.js';

// 23:30 UTC on 15 November is already 16 November in Berlin (UTC+1) and still the 15th in Los Angeles.
const NOT_BEFORE = '2026-11-15T23:30:00.000Z';
const KEEP = 'https://review.example.com/keep?t=abc&u=1';
const berlin = makeConfig();
const person = (o: Partial<ProposalItem> = {}) =>
  makeItem({
    state: 'APPROVED',
    name: 'Jane Doe',
    email: 'jane.doe@example.com',
    summary: 'No activity in any product for 200 days (since 2026-04-15); stale after 90 days.',
    ...o,
  });

describe('renderWarningEmail: tells a person when, why, and how to keep the account', () => {
  it('names the date in the configured time zone, in the subject, the text and the HTML', () => {
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, berlin);
    expect(m.subject).toBe('Your Atlassian account will be deactivated on 16 November 2026 unless you use it');
    expect(m.text).toContain('is due to be deactivated on 16 November 2026.');
    expect(m.html).toContain('<strong>16 November 2026</strong>');
    expect(m.text).not.toContain('15 November');
  });

  it('uses another configured time zone', () => {
    const la = makeConfig((raw) => {
      raw.schedules.timeZone = 'America/Los_Angeles';
    });
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, la);
    expect(m.subject).toContain('on 15 November 2026');
    expect(m.text).not.toContain('16 November');
  });

  it('names the reason and the account', () => {
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, berlin);
    expect(m.text).toContain('Why: No activity in any product for 200 days (since 2026-04-15); stale after 90 days.');
    expect(m.text).toContain('Your Atlassian account (jane.doe@example.com)');
    expect(m.text.startsWith('Hello Jane Doe,')).toBe(true);
    expect(m.html).toContain('<p>Why: No activity in any product for 200 days');
    expect(m.html).toContain('<strong>jane.doe@example.com</strong>');
  });

  it('names the first approver as the contact when none is configured', () => {
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, berlin);
    expect(m.text).toContain('Questions: it-admin@example.com.');
    expect(m.html).toContain('<a href="mailto:it-admin@example.com">it-admin@example.com</a>');
  });

  it('names the configured contact instead of an approver', () => {
    const config = makeConfig((raw) => {
      raw.execution = { contact: 'it-help@example.com' };
    });
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, config);
    expect(m.text).toContain('Questions: it-help@example.com.');
    expect(m.html).toContain('mailto:it-help@example.com');
    expect(m.text).not.toContain('it-admin@example.com');
    expect(m.html).not.toContain('it-admin@example.com');
  });

  it('offers the keep link when there is one, escaped in the HTML attribute', () => {
    const m = renderWarningEmail(person(), NOT_BEFORE, KEEP, berlin);
    expect(m.text).toContain(
      `Use Jira or Confluence before 16 November 2026, or keep it now with this link (it works once): ${KEEP}`,
    );
    expect(m.html).toContain('<a href="https://review.example.com/keep?t=abc&amp;u=1">keep my account now</a>');
  });

  it('says how to keep the account without a link when there is none', () => {
    const m = renderWarningEmail(person(), NOT_BEFORE, undefined, berlin);
    expect(m.text).toContain('To keep your account: Use Jira or Confluence before 16 November 2026 to keep it.');
    expect(m.text).not.toMatch(/link/i);
    expect(m.html).not.toContain('<a href="http');
    expect(m.html).not.toContain('keep my account now');
  });

  it('escapes HTML in the name, the email and the reason', () => {
    const m = renderWarningEmail(
      person({ name: HOSTILE_NAME, email: 'a<b>@example.com', summary: '<script>alert(1)</script>' }),
      NOT_BEFORE,
      undefined,
      berlin,
    );
    expect(m.html).not.toContain('<img');
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<b>');
    expect(m.html).toContain('&lt;img src=x onerror=&quot;alert(&#39;xss&#39;)&quot;&gt;');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  // BUG (cosmetic, emails.ts:29 and 37): `Hello ${item.name ?? ''},`.trim() leaves the inner space, so a
  // person without a name is greeted "Hello ," (the trim was meant to drop it); the HTML does the same.
  it('greets without a name when the listing has none', () => {
    const m = renderWarningEmail(person({ name: undefined }), NOT_BEFORE, undefined, berlin);
    expect(m.text.startsWith('Hello,\n')).toBe(true);
  });
});

describe('handoffCsv: the SCIM-synced accounts, for the Entra admin', () => {
  const HEADER = ['email', 'name', 'accountId', 'action', 'entraGroups', 'what to do in Entra ID'];
  const TODO = 'Disable the user in Entra ID, or remove them from the group that provisions Atlassian';

  it('lists only HANDED_OFF items, one row each', () => {
    const states: ItemState[] = ['APPROVED', 'IN_FLIGHT', 'DONE', 'FAILED', 'SKIPPED', 'REJECTED', 'HANDED_OFF'];
    const items = states.map((state) => makeItem({ state }));
    const handed = items.at(-1)!;
    const rows = parseCsv(handoffCsv(items));
    expect(rows).toEqual([HEADER, [handed.email!, handed.name!, handed.accountId, 'DEACTIVATE', '', TODO]]);
  });

  it('is only the header when nothing was handed off', () => {
    expect(parseCsv(handoffCsv([makeItem({ state: 'DONE' })]))).toEqual([HEADER]);
  });

  it('names the Confluence group when the person is in it, and the action asked', () => {
    const item = itemOf('MOVE_TO_NONBILLABLE', {
      state: 'HANDED_OFF',
      evidence: { entra: { inConfluenceGroup: true, exclusionGroupIds: [] } },
    });
    const [, row] = parseCsv(handoffCsv([item]));
    expect(row![3]).toBe('MOVE_TO_NONBILLABLE');
    expect(row![4]).toBe('Confluence group');
  });

  it('leaves the email empty when it is hidden', () => {
    const item = makeItem({ state: 'HANDED_OFF', email: undefined });
    const [, row] = parseCsv(handoffCsv([item]));
    expect(row![0]).toBe('');
    expect(row![2]).toBe(item.accountId);
  });

  it.each([
    ['=', '=HYPERLINK("http://evil.example","x")'],
    ['+', '+1+2'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A2)'],
  ])('neutralises a cell that starts with %s (it stays text in a spreadsheet)', (_, hostile) => {
    const item = makeItem({ state: 'HANDED_OFF', name: hostile, email: `${hostile}@example.com` });
    const text = handoffCsv([item]);
    const [, row] = parseCsv(text);
    expect(row![0]).toBe(`'${hostile}@example.com`);
    expect(row![1]).toBe(`'${hostile}`);
    for (const line of text.split('\r\n')) for (const c of ['=', '+', '-', '@']) expect(line.startsWith(c)).toBe(false);
  });

  it('keeps a hostile name with quotes, commas and tags as one cell', () => {
    const item = makeItem({ state: 'HANDED_OFF', name: `${HOSTILE_NAME}, "x"\r\nnext` });
    const rows = parseCsv(handoffCsv([item]));
    expect(rows).toHaveLength(2);
    expect(rows[1]![1]).toBe(`${HOSTILE_NAME}, "x"\r\nnext`);
  });
});

describe('mailerExecMail results: one mail per approver with their own undo link', () => {
  const config = makeConfig();
  const proposal = {
    proposalId: 'p-1',
    runId: 'p-1',
    orgId: 'org',
    status: 'APPROVED',
    createdAt: '2026-11-01T00:00:00Z',
  } as const;
  const items = [person({ state: 'DONE', action: 'DEACTIVATE' }), person({ accountId: 'b', state: 'SKIPPED' })];
  const sent = () => {
    const out: { to: readonly string[]; text: string }[] = [];
    return {
      out,
      mailer: { send: async (m: { to: readonly string[]; text: string }) => (out.push(m), { messageId: 'x' }) },
    };
  };

  it('mails each approver once, each with their own link', async () => {
    const s = sent();
    const mail = mailerExecMail(
      s.mailer as never,
      config,
      async (_p, approver) => `https://r.example/undo/p-1?t=${approver}`,
    );
    await mail.results(proposal as never, items, Date.parse('2026-11-02T00:00:00Z'));
    expect(s.out.map((m) => m.to)).toEqual(config.approval.approvers.map((a) => [a]));
    for (const m of s.out) expect(m.text).toContain(`t=${m.to[0]}`);
  });

  it('a link that cannot be issued never holds the results back: the mail says how to undo without it', async () => {
    const s = sent();
    const first = config.approval.approvers[0]!;
    const mail = mailerExecMail(s.mailer as never, config, async (_p, approver) => {
      if (approver === first) throw new Error('token store down');
      return `https://r.example/undo/p-1?t=${approver}`;
    });
    await mail.results(proposal as never, items, Date.parse('2026-11-02T00:00:00Z'));
    expect(s.out).toHaveLength(config.approval.approvers.length);
    expect(s.out[0]!.text).toContain('lifecycle undo p-1 --propose');
    expect(s.out[0]!.text).not.toContain('token store down');
  });

  it('an undo proposal, or one with nothing done, goes to all approvers in one mail without links', async () => {
    const s = sent();
    const mail = mailerExecMail(s.mailer as never, config, async () => 'https://r.example/undo/x?t=y');
    await mail.results({ ...proposal, undoOf: 'p-0' } as never, items, 0);
    await mail.results(proposal as never, [items[1]!], 0);
    expect(s.out.map((m) => m.to)).toEqual([config.approval.approvers, config.approval.approvers]);
    for (const m of s.out) expect(m.text).not.toContain('/undo/');
  });
});
