import type { ActionKind } from '../../config/actions.js';
import type { Config } from '../../config/index.js';
import type { ProposalItem } from '../../domain/proposal.js';
import { banner, button, dataTable, emailDocument, heading, note, paragraph, stats } from '../../mail/layout.js';
import {
  ACTION_EFFECT,
  ACTION_LABEL,
  ACTION_ORDER,
  dateTime,
  dayAndTime,
  lastActiveByProduct,
  lastActiveText,
  money,
  plural,
} from '../../mail/format.js';
import { html, type SafeHtml } from '../../shared/html.js';
import type { ProposalView } from '../proposal-view.js';
import type { RenderedEmail } from '../../mail/text.js';
import type { SeatImpact } from '../seat-impact.js';
import type { ProposalBilling } from '../../reports/proposal-billing.js';
import { billingLines, proRatedFlagText } from './billing-lines.js';

export interface ProposalEmailInput {
  readonly view: ProposalView;
  readonly config: Config;
  readonly approver: string;
  /** The approver's personal review link; absent when nothing waits for a decision. */
  readonly link?: string;
  /** Rows shown per action in the body (the CSV and the page have all). @default 10 */
  readonly rowsPerAction?: number;
}

/** "Guard seats: 1,234 -> 1,190 (-44); monthly saving $198.00 at $4.50 per seat". */
export function seatsText(s: SeatImpact): string {
  const delta = s.added - s.removed;
  const change = `${delta > 0 ? '+' : delta < 0 ? '-' : '±'}${Math.abs(delta)}`;
  const seats =
    s.before !== undefined
      ? `${s.before.toLocaleString('en-US')} -> ${s.after!.toLocaleString('en-US')} (${change})`
      : `${change} (seat count of the run not recorded)`;
  const amount = money(Math.abs(s.monthlySaving), s.currency);
  return `Guard seats: ${seats}; monthly ${s.monthlySaving >= 0 ? 'saving' : 'cost'} ${amount} at ${money(s.seatPrice, s.currency)} per seat`;
}

export const csvFileName = (proposalId: string): string =>
  `proposal-${proposalId.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;

function subjectOf(v: ProposalView): string {
  const id = v.proposal.proposalId;
  if (v.pendingCount === 0)
    return `Auto-approved: ${plural(v.autoApprovedCount, 'Atlassian account change')} (proposal ${id})`;
  const what = v.proposal.undoOf
    ? `undo of ${plural(v.proposal.itemCount ?? v.pendingCount, 'change')} made by proposal ${v.proposal.undoOf} (proposal ${id})`
    : `${plural(v.pendingCount, 'Atlassian account change')} (proposal ${id})`;
  return v.proposal.suspicious ? `OVER CAP - override needed: ${what}` : `Approval needed: ${what}`;
}

function itemRows(items: readonly ProposalItem[], tz: string, billing: ProposalBilling): SafeHtml[][] {
  return items.map((i) => {
    const products = lastActiveByProduct(i, tz);
    const flag = billing.proRated.get(i.accountId);
    return [
      html`<strong>${i.name ?? '(no name)'}</strong><br><span style="font-size:12px;color:#6b7280;">${i.email ?? 'email hidden'}</span>`,
      products.length === 0
        ? html`<span style="color:#6b7280;">no product access</span>`
        : html`${products.map((p, n) => html`${n > 0 ? html`<br>` : ''}${p.product}: ${p.date}`)}`,
      flag
        ? html`${i.summary}<br><strong style="color:#b45309;">${proRatedFlagText(flag, billing.currency)}</strong>`
        : html`${i.summary}`,
    ];
  });
}

function section(
  title: string,
  items: readonly ProposalItem[],
  limit: number,
  tz: string,
  proposalId: string,
  billing: ProposalBilling,
): SafeHtml {
  const shown = items.slice(0, limit);
  const more = items.length - shown.length;
  return html`${heading(title)}${dataTable(['Person', 'Last active', 'Why'], itemRows(shown, tz, billing), [210, 175])}${
    more > 0
      ? note(
          `... and ${plural(more, 'more item')}: every item is on the review page and in ${csvFileName(proposalId)}.`,
        )
      : ''
  }`;
}

function seatStats(v: ProposalView): SafeHtml {
  const s = v.seats;
  const delta = s.added - s.removed;
  return stats([
    {
      label: 'Guard seats',
      value:
        s.before !== undefined
          ? `${s.before.toLocaleString('en-US')} → ${s.after!.toLocaleString('en-US')}`
          : `${delta > 0 ? '+' : delta < 0 ? '−' : '±'}${Math.abs(delta)}`,
      note:
        s.before !== undefined
          ? `${delta <= 0 ? '−' : '+'}${Math.abs(delta)} if every item is carried out`
          : 'seat count of the run not recorded',
    },
    {
      label: s.monthlySaving >= 0 ? 'Monthly saving' : 'Monthly cost',
      value: money(Math.abs(s.monthlySaving), s.currency),
      note: `at ${money(s.seatPrice, s.currency)} per seat and month`,
    },
    ...(v.billing.proRated.size > 0
      ? [
          {
            label: 'Pro-rated this period',
            value: money(v.billing.proRatedTotal, s.currency),
            note: `at most, for ${plural(v.billing.proRated.size, 'seat')} added mid-period`,
          },
        ]
      : []),
    {
      label: 'Decide by',
      value: dayAndTime(v.expiresAt, v.timeZone).day,
      note: `${dayAndTime(v.expiresAt, v.timeZone).time}; undecided proposals expire and never run`,
    },
  ]);
}

function billingBanner(v: ProposalView): SafeHtml | '' {
  const lines = billingLines(v.billing, v.timeZone);
  if (lines.length === 0) return '';
  const d = v.billing.deadline;
  return banner(
    'info',
    d ? `Billing day ${d.billingDay}: ${plural(d.daysLeft, 'day')} away` : 'Seats added mid-period',
    html`${lines.map((l, n) => html`${n > 0 ? html`<br>` : ''}${l}`)}`,
  );
}

function countsTable(v: ProposalView): SafeHtml {
  const rows = ACTION_ORDER.filter((k) => v.pending.has(k) || v.autoApproved.has(k)).map((k: ActionKind) => [
    html`<strong>${ACTION_LABEL[k]}</strong>`,
    ACTION_EFFECT[k],
    String(v.pending.get(k)?.length ?? 0),
    String(v.autoApproved.get(k)?.length ?? 0),
  ]);
  return dataTable(['Action', 'What it does', 'Waiting for you', 'Auto-approved'], rows, [170, 0, 90, 90]);
}

/** Who the link lets decide: the approver after signing in, or (sign-in off) whoever holds it. */
export function signInSentence(config: Config, approver: string): string {
  return config.approval.signIn.mode === 'off'
    ? 'Sign-in is off (approval.signIn.mode "off"): this link alone decides, for anyone who can open this email.'
    : `Your decision counts only after you sign in with your work account as ${approver}.`;
}

/** The proposal email: HTML and plain text of one approver's message. */
export function renderProposalEmail(input: ProposalEmailInput): RenderedEmail {
  const { view: v, config, approver, link } = input;
  const limit = input.rowsPerAction ?? 10;
  const p = v.proposal;
  const tz = v.timeZone;
  const quorum = config.approval.quorum;
  const suspicious = p.suspicious === true && v.pendingCount > 0;
  const title =
    v.pendingCount > 0
      ? `${plural(v.pendingCount, 'account change')} ${v.pendingCount === 1 ? 'needs' : 'need'} your approval`
      : `${plural(v.autoApprovedCount, 'account change')} approved automatically`;
  const body = html`
${suspicious ? banner('danger', 'Over the cap: this proposal needs an explicit override', html`It is larger than the configured blast-radius cap (${(p.suspiciousReasons ?? []).join('; ') || 'cap exceeded'}). Check it carefully. Approving it needs the override box on the review page; nothing was approved automatically.`) : ''}
${heading(title, 22)}
${paragraph(html`The nightly run of ${dateTime(Date.parse(p.createdAt), tz)} proposes these changes for organization <strong>${p.orgId}</strong>. Nothing changes in Atlassian until ${quorum === 1 ? 'an approver approves' : `${quorum} of the ${config.approval.approvers.length} approvers approve`}.`)}
${seatStats(v)}
${billingBanner(v)}
${countsTable(v)}
${
  link
    ? html`${button(link, v.pendingCount === 1 ? 'Review and decide' : `Review and decide on ${v.pendingCount.toLocaleString('en-US')} items`)}
${paragraph(html`Opening the link changes nothing: you approve, deselect items or reject on the page. The link is personal to <strong>${approver}</strong>, works once and expires on ${dateTime(v.expiresAt, tz)}. ${signInSentence(config, approver)} Do not forward this email.`, true)}`
    : ''
}
${ACTION_ORDER.filter((k) => v.pending.has(k)).map((k) => section(`${ACTION_LABEL[k]} · ${plural(v.pending.get(k)!.length, 'account')}`, v.pending.get(k)!, limit, tz, p.proposalId, v.billing))}
${
  v.autoApprovedCount > 0
    ? html`${heading('Already approved automatically')}${banner('info', `${plural(v.autoApprovedCount, 'item')} approved by configuration`, html`The configuration approves ${config.approval.autoApprove.map((k) => ACTION_LABEL[k]).join(', ')} without a human. These items are carried out whatever is decided on the rest.`)}${ACTION_ORDER.filter(
        (k) => v.autoApproved.has(k),
      ).map((k) =>
        section(
          `${ACTION_LABEL[k]} · ${plural(v.autoApproved.get(k)!.length, 'account')} · approved`,
          v.autoApproved.get(k)!,
          limit,
          tz,
          p.proposalId,
          v.billing,
        ),
      )}`
    : ''
}
${note(html`Attached: <strong>${csvFileName(p.proposalId)}</strong> with every item (${plural(v.items.length, 'row')}). Sent to the approvers named in the lifecycle configuration. Proposal ${p.proposalId}, content hash ${(p.contentHash ?? '').slice(0, 12)}.`)}`;
  return {
    subject: subjectOf(v),
    html: emailDocument({
      title: subjectOf(v),
      preheader: `${suspicious ? 'Over the cap: needs an explicit override. ' : ''}${title}. ${seatsText(v.seats)}. Decide by ${dateTime(v.expiresAt, tz)}.`,
      header: `ATLASSIAN LIFECYCLE · PROPOSAL ${p.proposalId}`,
      body,
    }),
    text: proposalText(input, limit),
  };
}

function proposalText(input: ProposalEmailInput, limit: number): string {
  const { view: v, config, approver, link } = input;
  const p = v.proposal;
  const tz = v.timeZone;
  const lines: string[] = [];
  if (p.suspicious && v.pendingCount > 0)
    lines.push(
      '!!! OVER THE CAP: THIS PROPOSAL NEEDS AN EXPLICIT OVERRIDE !!!',
      `Reasons: ${(p.suspiciousReasons ?? []).join('; ') || 'cap exceeded'}`,
      'Approving it needs the override box on the review page.',
      '',
    );
  lines.push(
    `Proposal ${p.proposalId} for organization ${p.orgId} (run of ${dateTime(Date.parse(p.createdAt), tz)})`,
    '',
  );
  for (const k of ACTION_ORDER) {
    const n = v.pending.get(k)?.length ?? 0;
    const a = v.autoApproved.get(k)?.length ?? 0;
    if (n + a > 0)
      lines.push(`  ${ACTION_LABEL[k]}: ${n} waiting for a decision${a > 0 ? `, ${a} auto-approved` : ''}`);
  }
  lines.push(
    '',
    seatsText(v.seats),
    ...billingLines(v.billing, tz),
    `Decide by: ${dateTime(v.expiresAt, tz)} (undecided proposals expire and never run)`,
    '',
  );
  if (link)
    lines.push(
      'Review and decide (personal link, works once; opening it changes nothing):',
      link,
      '',
      `This link is for ${approver} only. ${signInSentence(config, approver)} Do not forward this email.`,
      '',
    );
  for (const [title, groups] of [
    ['Waiting for a decision', v.pending],
    ['Already approved automatically', v.autoApproved],
  ] as const) {
    if (groups.size === 0) continue;
    lines.push(`== ${title} ==`);
    for (const [k, items] of groups) {
      lines.push('', `${ACTION_LABEL[k]} (${items.length}):`);
      for (const i of items.slice(0, limit)) {
        const flag = v.billing.proRated.get(i.accountId);
        const cost = flag ? ` ${proRatedFlagText(flag, v.billing.currency)}.` : '';
        lines.push(
          `  - ${i.name ?? '(no name)'} <${i.email ?? 'hidden'}>: ${lastActiveText(i, tz)}. ${i.summary}${cost}`,
        );
      }
      if (items.length > limit) lines.push(`  ... and ${items.length - limit} more (see the review page and the CSV)`);
    }
    lines.push('');
  }
  lines.push(
    `Attached: ${csvFileName(p.proposalId)} with every item. Quorum: ${config.approval.quorum} of ${config.approval.approvers.length} approvers.`,
  );
  return `${lines.join('\n')}\n`;
}
