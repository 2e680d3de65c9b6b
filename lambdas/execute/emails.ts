/**
 * The mails of execution, over the Mailer port: the warning to a person before their account is
 * deactivated, the results to the approvers (with every item and the SCIM hand-off list as CSV),
 * and the alert when an execution fails. Everything from the API is escaped; no secret is in them.
 */
import { ItemState, type Mailer, type ProposalItem, type ProposalMeta } from '../domain/index.js';
import { csvFileName, renderAlertEmail } from '../approval/index.js';
import { proposalCsv, renderResultsEmail, toCsv } from '../mail/index.js';
import { html } from '../shared/html.js';
import type { Config } from '../config/index.js';
import type { ExecMail } from './ports.js';
import { dateTimeFormat } from '../shared/intl.js';

const dateOf = (iso: string, timeZone: string) =>
  dateTimeFormat('en-GB', { dateStyle: 'long', timeZone }).format(new Date(iso));

/** The warning a person gets before deactivation: when, why, and how to keep the account. */
export function renderWarningEmail(
  item: ProposalItem,
  notBefore: string,
  keepUrl: string | undefined,
  config: Config,
): { subject: string; html: string; text: string } {
  const when = dateOf(notBefore, config.schedules.timeZone);
  const contact = config.execution.contact ?? config.approval.approvers[0]!;
  const subject = `Your Atlassian account will be deactivated on ${when} unless you use it`;
  const why = item.summary;
  const keep = keepUrl
    ? `Use Jira or Confluence before ${when}, or keep it now with this link (it works once): ${keepUrl}`
    : `Use Jira or Confluence before ${when} to keep it.`;
  const text = [
    item.name ? `Hello ${item.name},` : 'Hello,',
    '',
    `Your Atlassian account (${item.email}) is due to be deactivated on ${when}.`,
    `Why: ${why}`,
    '',
    `To keep your account: ${keep}`,
    `Questions: ${contact}.`,
  ].join('\n');
  const body = html`<p>${item.name ? html`Hello ${item.name},` : 'Hello,'}</p>
<p>Your Atlassian account (<strong>${item.email ?? ''}</strong>) is due to be deactivated on <strong>${when}</strong>.</p>
<p>Why: ${why}</p>
<p>To keep your account, use Jira or Confluence before ${when}${keepUrl ? html`, or <a href="${keepUrl}">keep my account now</a> (the link works once)` : ''}.</p>
<p>Questions: <a href="mailto:${contact}">${contact}</a>.</p>`;
  return { subject, html: `<!DOCTYPE html><html lang="en"><body>${body.toString()}</body></html>`, text };
}

/** Accounts synced from Entra ID by SCIM, for the Entra admin: who to disable or remove from provisioning. */
export function handoffCsv(items: readonly ProposalItem[]): string {
  const rows = items
    .filter((i) => i.state === ItemState.HANDED_OFF)
    .map((i) => {
      const entra = (i.evidence.entra ?? {}) as { inConfluenceGroup?: boolean; exclusionGroupIds?: string[] };
      return [
        i.email ?? '',
        i.name ?? '',
        i.accountId,
        i.action,
        entra.inConfluenceGroup ? 'Confluence group' : '',
        'Disable the user in Entra ID, or remove them from the group that provisions Atlassian',
      ];
    });
  return toCsv(['email', 'name', 'accountId', 'action', 'entraGroups', 'what to do in Entra ID'], rows);
}

const csv = (filename: string, text: string) => ({
  filename,
  contentType: 'text/csv; charset=utf-8',
  content: Buffer.from(text, 'utf8'),
});

/** Issues an approver's "ask to undo" link for an executed proposal (approval/undo-request.ts). */
export type UndoLinkIssuer = (proposalId: string, approver: string) => Promise<string>;

/** The results mail with one approver's "ask to undo" link, in both parts. */
function withUndoLink(message: { text: string; html: string }, link: string): { text: string; html: string } {
  return {
    text: `${message.text}\n\nTo reverse some of these changes (reactivate an account, move it back to its policy), ask for an undo here; the approvers decide it like any proposal (the link works once, for 30 days): ${link}`,
    html: message.html.replace(
      '</body>',
      `${html`<p style="font:14px sans-serif;padding:0 24px 24px">To reverse some of these changes, <a href="${link}">ask for an undo</a>: the approvers decide it like any proposal. The link works once, for 30 days.</p>`.value}</body>`,
    ),
  };
}

export function mailerExecMail(mailer: Mailer, config: Config, undoLink?: UndoLinkIssuer): ExecMail {
  return {
    async warn(item, notBefore, keepUrl) {
      const m = renderWarningEmail(item, notBefore, keepUrl, config);
      await mailer.send({ from: config.approval.from, to: [item.email!], ...m });
    },
    async results(proposal: ProposalMeta, items, finishedAt) {
      const m = renderResultsEmail({ proposal, items, config, finishedAt });
      const handedOff = items.filter((i) => i.state === ItemState.HANDED_OFF).length;
      const attachments = [
        csv(`results-${csvFileName(proposal.proposalId)}`, proposalCsv(items, config.schedules.timeZone)),
      ];
      if (handedOff > 0)
        attachments.push(csv(`entra-handoff-${proposal.proposalId}.csv`.replace(/[^\w.-]/g, '_'), handoffCsv(items)));
      const note =
        handedOff > 0
          ? `\n\n${handedOff} account(s) are synced from Entra ID by SCIM and were not changed: the attached hand-off list says what to do in Entra ID.`
          : '';
      const message = {
        from: config.approval.from,
        subject: m.subject,
        html: m.html,
        text: m.text + note,
        attachments,
      };
      // Each approver gets their own "ask to undo" link when there is a change to reverse.
      const reversible = items.some((i) => i.state === ItemState.DONE && i.action !== 'REACTIVATE');
      if (!undoLink || !reversible || proposal.undoOf) {
        await mailer.send({ ...message, to: [...config.approval.approvers] });
        return;
      }
      // Every approver is mailed even if a send fails for another; the first failure is thrown after.
      const failures: unknown[] = [];
      for (const approver of config.approval.approvers) {
        // A link that cannot be issued never holds the results back: the mail says how to undo without it.
        const link = await undoLink(proposal.proposalId, approver).catch(() => undefined);
        const part = link
          ? withUndoLink(message, link)
          : {
              text: `${message.text}\n\nTo reverse some of these changes, an operator can run: lifecycle undo ${proposal.proposalId} --propose`,
            };
        try {
          await mailer.send({ ...message, to: [approver], ...part });
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length > 0) throw failures[0];
    },
    async alert(proposalId, reasons, at) {
      const m = renderAlertEmail({ runId: `execution of ${proposalId}`, kind: 'failed', reasons, at }, config);
      await mailer.send({ from: config.approval.from, to: [...config.approval.approvers], ...m });
    },
  };
}
