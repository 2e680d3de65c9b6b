import type { Config } from '../../config/index.js';
import { banner, emailDocument, heading, paragraph } from '../../mail/layout.js';
import type { RenderedEmail } from '../../mail/text.js';
import { dateTime } from '../../mail/format.js';
import { html } from '../../shared/html.js';

/** Why a nightly run proposed nothing: blocked by a safety rule, or failed. */
export interface RunAlert {
  readonly runId: string;
  readonly kind: 'blocked' | 'failed';
  /** Secret-free sentences (safety alerts name the account and the fix; failures the error). */
  readonly reasons: readonly string[];
  readonly at: number;
}

const TITLE = { blocked: 'Nightly run blocked by a safety check', failed: 'Nightly run failed' } as const;
const WHAT = {
  blocked:
    'The run proposed nothing, on purpose: a safety check failed. Nothing was changed in Atlassian. Fix the cause below; the next scheduled run checks again.',
  failed:
    'The run stopped before it could finish, so it proposed nothing. Nothing was changed in Atlassian. The schedule retries; if this repeats, look at the cause below.',
} as const;

/** The alert mail to the approvers (escaped: account names come from the API). */
export function renderAlertEmail(alert: RunAlert, config: Pick<Config, 'orgId' | 'schedules'>): RenderedEmail {
  const when = dateTime(alert.at, config.schedules.timeZone);
  const subject = `ALERT - ${TITLE[alert.kind]} (run ${alert.runId})`;
  const body = html`${heading(TITLE[alert.kind], 22)}${banner('danger', `Run ${alert.runId}, ${when}`, WHAT[alert.kind])}${heading('What was found')}${alert.reasons.map((r) => paragraph(r))}${paragraph(`Organization ${config.orgId}. Every detail is in the audit log (lifecycle audit verify 'RUN#${alert.runId}#<attempt>').`, true)}`;
  const text = [
    `${TITLE[alert.kind]} - run ${alert.runId}, ${when}`,
    '',
    WHAT[alert.kind],
    '',
    'What was found:',
    ...alert.reasons.map((r) => `- ${r}`),
    '',
    `Organization ${config.orgId}.`,
  ].join('\n');
  return {
    subject,
    html: emailDocument({
      title: subject,
      preheader: alert.reasons[0] ?? TITLE[alert.kind],
      header: `ATLASSIAN LIFECYCLE · ${alert.kind === 'blocked' ? 'SAFETY ALERT' : 'RUN FAILED'}`,
      body,
    }),
    text,
  };
}
