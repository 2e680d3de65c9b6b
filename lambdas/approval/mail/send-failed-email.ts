import type { Config } from '../../config/index.js';
import { banner, emailDocument, heading, paragraph } from '../../mail/layout.js';
import type { RenderedEmail } from '../../mail/text.js';
import { dateTime } from '../../mail/format.js';
import { html } from '../../shared/html.js';

export interface SendFailure {
  readonly proposalId: string;
  /** Approvers the proposal email did not reach. */
  readonly notReached: readonly string[];
  readonly at: number;
}

const WHAT =
  'Every review link sent with this proposal was withdrawn: a link in an email you may have received for it does not work, and nothing was decided. The proposal is sent again, with new links to every approver, when the nightly run is retried.';

/** The alert to the approvers after a partly failed send (no links, no error texts from the mail service). */
export function renderSendFailedEmail(f: SendFailure, config: Pick<Config, 'orgId' | 'schedules'>): RenderedEmail {
  const when = dateTime(f.at, config.schedules.timeZone);
  const title = `Proposal ${f.proposalId} was not sent to every approver`;
  const subject = `ALERT - ${title}; its links were withdrawn`;
  const body = html`${heading(title, 22)}${banner('danger', `Sending failed, ${when}`, WHAT)}${heading('Not reached')}${f.notReached.map((a) => paragraph(a))}${paragraph(`Organization ${config.orgId}. The error is in the log line approval.mail-failed; the issued and withdrawn links are in the audit log (lifecycle audit verify 'PROPOSAL#${f.proposalId}').`, true)}`;
  const text = [
    `${title} - ${when}`,
    '',
    WHAT,
    '',
    'Not reached:',
    ...f.notReached.map((a) => `- ${a}`),
    '',
    `Organization ${config.orgId}.`,
  ].join('\n');
  return {
    subject,
    html: emailDocument({ title: subject, preheader: WHAT, header: 'ATLASSIAN LIFECYCLE · SENDING FAILED', body }),
    text,
  };
}
