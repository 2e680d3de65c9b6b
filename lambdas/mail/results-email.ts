import type { Config } from '../config/index.js';
import { ItemState } from '../domain/item-states.js';
import type { ProposalItem, ProposalMeta } from '../domain/proposal.js';
import { proposalCsv } from './csv.js';
import { banner, dataTable, emailDocument, heading, note, paragraph, stats } from './layout.js';
import type { RenderedEmail } from './text.js';
import { ACTION_LABEL, ACTION_ORDER, dateTime, plural } from './format.js';
import { html, type SafeHtml } from '../shared/html.js';

/** What the execution step hands over when a proposal's approved items are done. */
export interface ResultsEmailInput {
  readonly proposal: ProposalMeta;
  /** Every decided item of the proposal in its final state (DONE, FAILED, SKIPPED; REJECTED or EXPIRED ones are counted as not approved); undecided (PROPOSED) ones are left out. */
  readonly items: readonly ProposalItem[];
  readonly config: Config;
  readonly finishedAt: number;
  /** Billable Guard seats before the run and after it, when counted. */
  readonly seats?: { readonly before: number; readonly after: number };
  /** Rows of DONE and SKIPPED items shown in the body (failures are all shown, up to 200). @default 15 */
  readonly rowsPerOutcome?: number;
}

export const Outcome = { DONE: ItemState.DONE, FAILED: ItemState.FAILED, SKIPPED: ItemState.SKIPPED } as const;
const OUTCOMES = [Outcome.FAILED, Outcome.SKIPPED, Outcome.DONE] as const;
const UNFINISHED = new Set<string>([ItemState.APPROVED, ItemState.IN_FLIGHT]);

const OUTCOME_TITLE: Readonly<Record<(typeof OUTCOMES)[number], string>> = {
  FAILED: 'Failed',
  SKIPPED: 'Skipped (re-checked just before acting)',
  DONE: 'Done',
};

function rows(items: readonly ProposalItem[]): SafeHtml[][] {
  return items.map((i) => [
    html`<strong>${i.name ?? '(no name)'}</strong>`,
    html`${i.email ?? 'hidden'}`,
    html`${ACTION_LABEL[i.action]}`,
    html`${i.note ?? ''}`,
  ]);
}

/** The results email the execution step sends to the approvers, with every item in a CSV. */
export function renderResultsEmail(input: ResultsEmailInput): RenderedEmail & { csv: string } {
  const { proposal: p, items, config } = input;
  const tz = config.schedules.timeZone;
  const limit = input.rowsPerOutcome ?? 15;
  const of = (state: string) => items.filter((i) => i.state === state);
  const failed = of(Outcome.FAILED);
  const done = of(Outcome.DONE);
  const skipped = of(Outcome.SKIPPED);
  const unfinished = items.filter((i) => UNFINISHED.has(i.state));
  const attempted = failed.length + done.length + skipped.length;
  // While people still decide (the proposal is READY), only what approval.autoApprove approved ran.
  const autoRound = p.status === 'READY';
  const approvedBy = autoRound ? 'configuration (approval.autoApprove)' : (p.decidedBy ?? 'the approvers');
  const waiting = Math.max(0, (p.itemCount ?? items.length) - items.length);
  const subject = `${failed.length > 0 ? `${plural(failed.length, 'change')} FAILED` : 'Done'}: ${plural(done.length, 'Atlassian account change')} carried out (proposal ${p.proposalId})`;
  const counts = ACTION_ORDER.filter((k) => items.some((i) => i.action === k)).map((k) => [
    html`<strong>${ACTION_LABEL[k]}</strong>`,
    ...OUTCOMES.map((o) => html`${String(items.filter((i) => i.action === k && i.state === o).length)}`),
  ]);
  const body = html`
${failed.length > 0 ? banner('danger', `${plural(failed.length, 'change')} failed`, 'Nothing was retried blindly: each failure is listed below with the error. A failed item is not tried again by itself.') : banner('success', 'Every approved change was handled', `${plural(attempted, 'item')} handled, none failed.`)}
${unfinished.length > 0 ? banner('danger', `${plural(unfinished.length, 'item')} not finished`, 'They are approved but have no result yet; the execution will resume them.') : ''}
${heading(`Results of proposal ${p.proposalId}`, 22)}
${paragraph(html`Finished ${dateTime(input.finishedAt, tz)} for organization <strong>${p.orgId}</strong>; approved by ${approvedBy}.`)}
${waiting > 0 ? banner('info', `${plural(waiting, 'item')} still wait for the approvers`, 'They are not in this mail: only the changes approved so far were carried out.') : ''}
${stats([
  { label: 'Done', value: done.length.toLocaleString('en-US') },
  { label: 'Failed', value: failed.length.toLocaleString('en-US') },
  {
    label: 'Guard seats',
    value: input.seats
      ? `${input.seats.before.toLocaleString('en-US')} → ${input.seats.after.toLocaleString('en-US')}`
      : 'not counted',
    note: `skipped: ${skipped.length}`,
  },
])}
${dataTable(['Action', 'Failed', 'Skipped', 'Done'], counts, [220])}
${OUTCOMES.map((o) => {
  const list = of(o);
  if (list.length === 0) return '';
  const shown = list.slice(0, o === Outcome.FAILED ? 200 : limit);
  return html`${heading(`${OUTCOME_TITLE[o]} · ${list.length}`)}${dataTable(['Name', 'Email', 'Action', o === Outcome.DONE ? 'Note' : o === Outcome.FAILED ? 'Error' : 'Why skipped'], rows(shown), [140, 180, 150])}${list.length > shown.length ? note(`... and ${list.length - shown.length} more in the attached CSV.`) : ''}`;
})}
${note(`Attached: every decided item with its final state (undecided ones are in the proposal). Audit stream PROPOSAL#${p.proposalId}.`)}`;
  const text = [
    subject,
    '',
    ...OUTCOMES.map((o) => `${OUTCOME_TITLE[o]}: ${of(o).length}`),
    ...(unfinished.length > 0 ? [`Not finished: ${unfinished.length}`] : []),
    ...(waiting > 0 ? [`Still waiting for the approvers (not in this mail): ${waiting}`] : []),
    `Approved by ${approvedBy}.`,
    ...(input.seats ? [`Guard seats: ${input.seats.before} -> ${input.seats.after}`] : []),
    '',
    ...OUTCOMES.flatMap((o) =>
      of(o).length === 0
        ? []
        : [
            `== ${OUTCOME_TITLE[o]} ==`,
            ...of(o)
              .slice(0, o === Outcome.FAILED ? 200 : limit)
              .map(
                (i) =>
                  `  - ${i.name ?? '(no name)'} <${i.email ?? 'hidden'}> ${ACTION_LABEL[i.action]}${i.note ? `: ${i.note}` : ''}`,
              ),
            '',
          ],
    ),
    'Every decided item is in the attached CSV.',
  ].join('\n');
  return {
    subject,
    html: emailDocument({
      title: subject,
      preheader: `${done.length} done, ${failed.length} failed, ${skipped.length} skipped`,
      header: `ATLASSIAN LIFECYCLE · RESULTS ${p.proposalId}`,
      body,
    }),
    text: `${text}\n`,
    csv: proposalCsv(items, tz),
  };
}
