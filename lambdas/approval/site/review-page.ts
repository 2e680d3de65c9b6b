import type { ActionKind } from '../../config/actions.js';
import type { Config } from '../../config/index.js';
import { ItemState } from '../../domain/item-states.js';
import type { ProposalItem } from '../../domain/proposal.js';
import { CSRF_FIELD } from './csrf.js';
import {
  ACTION_EFFECT,
  ACTION_LABEL,
  ACTION_ORDER,
  ACTION_SHORT,
  dateTime,
  lastActiveByProduct,
  latestActivity,
  money,
  plural,
} from '../../mail/format.js';
import { html, type SafeHtml } from '../../shared/html.js';
import { REVIEW_SCRIPT } from './page-assets.js';
import { pageShell } from './pages.js';
import type { ProposalView } from '../proposal-view.js';
import { billingLines, proRatedFlagText } from '../mail/billing-lines.js';
import type { ProposalBilling } from '../../reports/proposal-billing.js';

export interface ReviewPageInput {
  readonly view: ProposalView;
  readonly config: Config;
  readonly approver: string;
  readonly csrf: string;
  readonly nonce: string;
  /** Approvals recorded so far (quorum > 1). */
  readonly approvals: number;
  /** With approver sign-in on: who signed in, and until when a decision is accepted (step-up). */
  readonly signedIn?: { readonly username: string; readonly decideBy: number };
}

/** Who decides on this page: the signed-in approver, or (sign-in off) whoever holds the link. */
function signInBanner(i: ReviewPageInput, tz: string): SafeHtml {
  if (!i.signedIn)
    return html`<div class="banner danger" id="signin"><strong>Sign-in is off: this link alone decides</strong>The configuration turns approver sign-in off (approval.signIn.mode "off"), so anyone who can open the email can use this link. Do not forward it.</div>`;
  return html`<div class="banner info" id="signin"><strong>Signed in as ${i.signedIn.username}</strong>Your decision is recorded with this sign-in. Decide by ${dateTime(i.signedIn.decideBy, tz)}; after that you are asked to sign in again.</div>`;
}

export const OVERRIDE_FIELD = 'override';
/**
 * One checkbox per pending item, ticked to reject it: the form posts what is deselected, so its
 * size depends on the rejections, not on the proposal (27,000 selected ids would not fit in the
 * 1 MiB body). Ticking means "reject" without JavaScript too, so a browser without the script
 * approves exactly the rows it shows unticked, never more.
 */
export const DESELECT_FIELD = 'drop';
/** Marks a form that lists deselected items; an approval without it (an older page) is refused. */
export const LISTS_FIELD = 'lists';
export const LISTS_DESELECTED = 'deselected';

function row(item: ProposalItem, tz: string, billing: ProposalBilling): SafeHtml {
  const pending = item.state === ItemState.PROPOSED;
  const flag = billing.proRated.get(item.accountId);
  const products = lastActiveByProduct(item, tz);
  const search = `${item.name ?? ''} ${item.email ?? ''} ${item.accountId}`.toLowerCase();
  return html`<tr data-action="${item.action}" data-search="${search}">
<td class="pick">${pending ? html`<input type="checkbox" name="${DESELECT_FIELD}" value="${item.accountId}" aria-label="${`Reject ${item.name ?? item.accountId}`}">` : html`<span class="badge b-auto" title="approved by configuration">auto</span>`}</td>
<td data-sort="${(item.name ?? '').toLowerCase()}" class="person"><span class="name">${item.name ?? '(no name)'}</span><span class="mail">${item.email ?? 'email hidden'}</span><span class="id">${item.accountId}</span></td>
<td data-sort="${item.action}"><span class="badge b-${item.action}">${ACTION_LABEL[item.action]}</span></td>
<td data-sort="${latestActivity(item, tz) || '0000'}" class="products">${products.length === 0 ? html`<span class="never">no product access</span>` : products.map((p, i) => html`${i > 0 ? html`<br>` : ''}${p.product}: ${p.date === 'never' ? html`<span class="never">never</span>` : p.date}`)}</td>
<td class="why" data-sort="${item.reason}">${item.summary}${flag ? html`<br><span class="badge b-MOVE_TO_NONBILLABLE prorated">${proRatedFlagText(flag, billing.currency)}</span>` : ''}<br><span class="code">${item.reason}</span></td>
</tr>`;
}

function cards(i: ReviewPageInput): SafeHtml {
  const { view: v, config } = i;
  const s = v.seats;
  const delta = s.added - s.removed;
  const breakdown = ACTION_ORDER.filter((k) => v.pending.has(k))
    .map((k) => `${v.pending.get(k)!.length} ${ACTION_LABEL[k].toLowerCase()}`)
    .join(', ');
  return html`<div class="cards">
<div class="card"><div class="label">Waiting for a decision</div><div class="value">${v.pendingCount.toLocaleString('en-US')}</div><div class="note">${breakdown || 'nothing'}</div></div>
<div class="card"><div class="label">Guard seats</div><div class="value">${s.before !== undefined ? `${s.before.toLocaleString('en-US')} → ${s.after!.toLocaleString('en-US')}` : `${delta > 0 ? '+' : ''}${delta}`}</div><div class="note">if every item is carried out</div></div>
<div class="card"><div class="label">${s.monthlySaving >= 0 ? 'Monthly saving' : 'Monthly cost'}</div><div class="value">${money(Math.abs(s.monthlySaving), s.currency)}</div><div class="note">at ${money(s.seatPrice, s.currency)} per seat and month</div></div>
${v.billing.proRated.size > 0 ? html`<div class="card"><div class="label">Pro-rated this period</div><div class="value">${money(v.billing.proRatedTotal, s.currency)}</div><div class="note">at most, for ${plural(v.billing.proRated.size, 'seat')} added mid-period</div></div>` : ''}
<div class="card"><div class="label">Approvals</div><div class="value">${i.approvals} of ${config.approval.quorum}</div><div class="note">decide by ${dateTime(v.expiresAt, v.timeZone)}</div></div>
</div>`;
}

/** The billing-day deadline and the pro-rated costs: the same sentences as the mail. */
function billingBanner(v: ProposalView): SafeHtml | '' {
  const lines = billingLines(v.billing, v.timeZone);
  if (lines.length === 0) return '';
  const d = v.billing.deadline;
  return html`<div class="banner info" id="billing"><strong>${d ? `Billing day ${d.billingDay}` : 'Seats added mid-period'}</strong>${lines.map((l, n) => html`${n > 0 ? html`<br>` : ''}${l}`)}</div>`;
}

function toolbar(v: ProposalView): SafeHtml {
  const count = (k: ActionKind) => v.items.filter((i) => i.action === k).length;
  return html`<div class="toolbar" id="filters" hidden>
<button type="button" class="chip" data-filter="ALL" aria-pressed="true">All (${v.items.length})</button>
${ACTION_ORDER.filter((k) => count(k) > 0).map((k) => html`<button type="button" class="chip" data-filter="${k}" aria-pressed="false" title="${`${ACTION_LABEL[k]}: ${ACTION_EFFECT[k]}`}">${ACTION_SHORT[k]} (${count(k)})</button>`)}
<input type="search" id="search" placeholder="Filter by name or email" aria-label="Filter by name or email">
<span class="spacer"></span><span class="note"><span id="shown">${v.items.length}</span> shown</span>
<button type="button" class="link" id="select-visible">Keep shown</button><button type="button" class="link" id="clear-visible">Reject shown</button>
</div>`;
}

/**
 * The review page: everything in the proposal, and the one form that records a decision.
 * The filter toolbar sits outside that form on purpose: inside it, Enter in the search box was an
 * implicit submission by the first submit button ("Approve"), approving rows the filter hid.
 */
export function renderReviewPage(i: ReviewPageInput): string {
  const { view: v, config } = i;
  const p = v.proposal;
  const tz = v.timeZone;
  const suspicious = p.suspicious === true;
  const cols = ['Person', 'Action', 'Last active', 'Why'];
  const main = html`
<h1>Review proposal ${p.proposalId}</h1>
<p class="sub">Organization ${p.orgId} · proposed ${dateTime(Date.parse(p.createdAt), tz)} · reviewing as <strong>${i.approver}</strong></p>
${p.undoOf ? html`<div class="banner info"><strong>An undo of proposal ${p.undoOf}</strong>Approving reverses these executed changes: deactivated accounts are reactivated, moved accounts go back to the policy they were in.</div>` : ''}
${suspicious ? html`<div class="banner danger" role="alert"><strong>Over the cap: approving needs an explicit override</strong>This proposal is larger than the configured blast-radius cap (${(p.suspiciousReasons ?? []).join('; ') || 'cap exceeded'}). Check it carefully; to approve, tick the override box next to the buttons.</div>` : ''}
<div class="banner quiet"><strong>Opening this page changed nothing.</strong>A decision is recorded only when you press Approve or Reject below. Tick an item to reject it; every item left unticked is approved; ${config.approval.quorum > 1 ? `the proposal runs once ${config.approval.quorum} approvers approve (an item runs only if every approving approver kept it; one rejection rejects the whole proposal)` : 'approved items go to execution at once'}.</div>
${v.autoApprovedCount > 0 ? html`<div class="banner info"><strong>${plural(v.autoApprovedCount, 'item')} already approved automatically</strong>The configuration approves ${config.approval.autoApprove.map((k) => ACTION_LABEL[k]).join(', ')} without a human; those rows are marked “auto” and are carried out whatever you decide.</div>` : ''}
${signInBanner(i, tz)}
${cards(i)}
${billingBanner(v)}
<div class="panel">
${toolbar(v)}
<form method="post" id="decision">
<input type="hidden" name="${CSRF_FIELD}" value="${i.csrf}">
<input type="hidden" name="${LISTS_FIELD}" value="${LISTS_DESELECTED}">
<div class="scroll"><table id="items">
<thead><tr><th scope="col"><span class="note">Reject</span></th>${cols.map((c, n) => html`<th scope="col" data-col="${n + 1}"><button type="button" class="sort">${c}</button></th>`)}</tr></thead>
<tbody>
${[...v.pending.values(), ...v.autoApproved.values()].flat().map((item) => row(item, tz, v.billing))}
</tbody></table></div>
<div class="decide">
${suspicious ? html`<label class="override"><input type="checkbox" name="${OVERRIDE_FIELD}" value="yes"><span><strong>Override the cap.</strong> I have checked this over-cap proposal item by item and approve the unticked items anyway.</span></label>` : ''}
<button type="submit" class="approve" name="decision" value="approve">Approve <span id="approve-count">the unticked</span> <span id="approve-noun">items</span></button>
<button type="submit" class="reject" name="decision" value="reject">Reject the whole proposal</button>
<span class="hint">Your link works once. Filters only change what is shown: every ticked item is rejected, every unticked one approved.</span>
</div>
</form>
</div>`;
  return pageShell({
    title: `Review proposal ${p.proposalId}`,
    nonce: i.nonce,
    header: `ATLASSIAN LIFECYCLE · PROPOSAL ${p.proposalId}`,
    main,
    script: REVIEW_SCRIPT,
  });
}
