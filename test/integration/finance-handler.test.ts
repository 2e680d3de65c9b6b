/**
 * The report function's handler (lambdas/handlers/report.ts) as Lambda runs it: configuration and
 * tables from the environment, the org on the Atlassian simulator, mail to an SES emulator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { handler as ReportHandler } from '../../lambdas/handlers/report.js';
import { CHART_CID } from '../../lambdas/reports/index.js';
import { startSes, type LocalSes } from '../../local/ses.js';
import { syntheticOrg } from '../sim/org/index.js';
import { startExecOrg, type ExecOrg } from '../helpers/start-exec-org.js';

const planAt = Date.now() - 60_000;
const org = syntheticOrg({ size: 120, seed: 61, now: new Date(planAt).toISOString() });

describe('report handler', () => {
  let w: ExecOrg;
  let ses: LocalSes;
  let handler: typeof ReportHandler;

  beforeAll(async () => {
    w = await startExecOrg(org, {
      planAt,
      editConfig: (raw) => {
        raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
        raw.finance = { ...raw.finance, recipients: ['finance@example.com'], billingDay: 3 };
      },
    });
    ses = await startSes();
    Object.assign(process.env, w.childEnv, {
      LIFECYCLE_CONFIG_FILE: w.configFile,
      LIFECYCLE_SES_ENDPOINT: ses.endpoint,
    });
    delete process.env.LIFECYCLE_CONFIG;
    ({ handler } = await import('../../lambdas/handlers/report.js'));
  }, 900_000);
  afterAll(async () => {
    await ses?.stop();
    await w?.stop();
  });

  it('sends the report as scheduled (no input): the chart inline and attached, two CSVs', async () => {
    const r = await handler({});
    expect(r).toMatchObject({ status: 'sent', recipients: ['finance@example.com'] });
    const [mail] = await ses.outbox();
    expect(mail!.messageId).toBe(r.messageId);
    const kinds = mail!.attachments.map((a) => [a.contentType, (a as { contentId?: string }).contentId]);
    expect(kinds).toEqual([
      ['image/png', CHART_CID],
      ['image/png', undefined],
      ['text/csv; charset=utf-8', undefined],
      ['text/csv; charset=utf-8', undefined],
    ]);
    expect(r.summary.nextPeriod.quantity).toBeGreaterThan(0);
  });

  it('builds a past month without sending when asked, and refuses a month not begun', async () => {
    const before = (await ses.outbox()).length;
    const past = new Date(planAt);
    past.setUTCMonth(past.getUTCMonth() - 2);
    const month = past.toISOString().slice(0, 7);
    const r = await handler({ month, send: false });
    expect(r.status).toBe('built');
    expect(r.summary.period).toMatch(new RegExp(`^${month}-03\\.\\.`));
    expect(r.summary.billedNow.quantity).toBeUndefined();
    expect((await ses.outbox()).length).toBe(before);
    await expect(handler({ month: '2999-01' })).rejects.toThrow(/has not begun yet/);
  });
});
