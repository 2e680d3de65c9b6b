import type { Config } from '../../config/index.js';
import type { ProposalItem } from '../../domain/proposal.js';
import { banner, emailDocument, heading, paragraph } from '../../mail/layout.js';
import { calendarDate, dateTime } from '../../mail/format.js';
import type { RenderedEmail } from '../../mail/text.js';
import { html } from '../../shared/html.js';

/** Tells the approvers that a person kept their account with the warning mail's link (names are escaped). */
export function renderKeptEmail(
  item: ProposalItem,
  at: number,
  config: Pick<Config, 'orgId' | 'schedules'>,
): RenderedEmail {
  const who = item.name ? `${item.name} (${item.email ?? item.accountId})` : (item.email ?? item.accountId);
  const when = dateTime(at, config.schedules.timeZone);
  const due = item.notBefore ? calendarDate(item.notBefore, config.schedules.timeZone) : undefined;
  const subject = `${item.email ?? item.accountId} kept their Atlassian account (proposal ${item.proposalId})`;
  const what = `${who} followed the "keep my account" link of the warning mail on ${when}${due ? `, before the deactivation date ${due}` : ''}. The account will not be deactivated by proposal ${item.proposalId}: its item is SKIPPED with reason USER_KEPT.`;
  const next =
    'Nothing to do. If the account should still go, the next nightly run proposes it again once it is stale again.';
  return {
    subject,
    html: emailDocument({
      title: subject,
      preheader: what,
      header: 'ATLASSIAN LIFECYCLE · ACCOUNT KEPT',
      body: html`${heading('An account was kept', 22)}${banner('info', who, what)}${paragraph(next)}${paragraph(`Organization ${config.orgId}. The keep is in the audit log (stream execution#${item.proposalId}).`, true)}`,
    }),
    text: [what, '', next, '', `Organization ${config.orgId}.`].join('\n'),
  };
}
