/**
 * Issue 10 acceptance through the command line, as an operator runs it: `lifecycle execute` (the
 * finish step stores the executed changes and a snapshot), `lifecycle report --send` into the SES
 * emulator (PNG chart inline with its Content-ID and as an attachment, two CSVs), the mail rendered
 * in Chromium, `lifecycle seats --format csv` against the stored snapshots, `lifecycle seats why`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHART_CID, snapshotsCsv, type FinanceSnapshot } from '../../lambdas/reports/index.js';
import { startSes } from '../../local/ses.js';
import { syntheticOrg, type Person } from '../sim/org/index.js';
import { simBilled } from '../helpers/finance.js';
import { dynamoClient } from '../helpers/local.js';
import { startExecOrg, type ExecOrg } from '../helpers/start-exec-org.js';
import type { StoredEmail } from '../../local/ses.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const planAt = Date.now() - 120_000;
const org = syntheticOrg({ size: 200, seed: 53, now: new Date(planAt).toISOString() });

function lifecycle(w: ExecOrg, args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bin/lifecycle.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...w.childEnv, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('finance from the command line, on the simulators, DynamoDB Local and the SES emulator', () => {
  let w: ExecOrg;
  let premiumConfig: string;
  let ses: Awaited<ReturnType<typeof startSes>>;
  let mail: StoredEmail;
  let stored: FinanceSnapshot[];

  beforeAll(async () => {
    w = await startExecOrg(org, {
      planAt,
      editConfig: (raw) => {
        raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
        raw.execution = { warnBeforeDays: 0, chunkSize: 100 };
        raw.approval.autoApprove = [];
        raw.finance = { ...raw.finance, recipients: ['finance@example.com', 'cfo@example.com'], seatPrice: 7.5 };
      },
    });
    const raw = JSON.parse(readFileSync(w.configFile, 'utf8'));
    raw.finance.tier = 'premium';
    premiumConfig = w.configFile.replace(/config\.json$/, 'premium.json');
    writeFileSync(premiumConfig, JSON.stringify(raw));
    // An SES emulator of this test's own, so the outbox holds this report only.
    ses = await startSes();
    const exec = await lifecycle(w, ['execute', w.proposalId, '--config', w.configFile]);
    expect(exec.code, exec.stderr).toBe(0);
    const sent = await lifecycle(w, ['report', '--send', '--config', w.configFile], {
      LIFECYCLE_SES_ENDPOINT: ses.endpoint,
    });
    expect(sent.code, sent.stderr).toBe(0);
    const outbox = await ses.outbox();
    expect(outbox).toHaveLength(1);
    mail = outbox[0]!;
    const res = await dynamoClient().send(
      new QueryCommand({
        TableName: w.tables.seats,
        KeyConditionExpression: 'orgId = :o',
        ExpressionAttributeValues: { ':o': { S: w.config.orgId } },
      }),
    );
    stored = (res.Items ?? []).map((i) => unmarshall(i) as FinanceSnapshot);
  }, 900_000);
  afterAll(async () => {
    await ses?.stop();
    await w?.stop();
  });

  it('stores a snapshot for the plan and one after the execution, with its executed changes', () => {
    expect(stored.map((s) => s.runId)).toEqual([`exec-cli-${planAt}`, expect.stringMatching(/^exec-.+-main$/)]);
    const [before, after] = stored as [FinanceSnapshot, FinanceSnapshot];
    expect(after.changes.seatsFreed).toBeGreaterThan(0);
    expect(before.billable - after.billable).toBe(after.changes.seatsFreed - after.changes.seatsAdded);
    const people = w.atlassian.org.people as Person[];
    expect(after.billable).toBe(people.filter((p) => simBilled(p, 'standard', org.policies)).length);
  });

  it('mails the report with the chart inline by Content-ID and attached, and both CSVs', () => {
    expect(mail.destination.to).toEqual(['finance@example.com', 'cfo@example.com']);
    expect(mail.subject).toMatch(/^Guard seats, .+: \d+ billed this period → \d+ next period/);
    expect(mail.body.html).toContain(`src="cid:${CHART_CID}"`);
    const parts = mail.attachments as (StoredEmail['attachments'][number] & {
      contentDisposition?: string;
      contentId?: string;
    })[];
    const pngs = parts.filter((a) => a.contentType === 'image/png');
    expect(pngs.map((a) => [a.contentDisposition, a.contentId])).toEqual([
      ['INLINE', CHART_CID],
      ['ATTACHMENT', undefined],
    ]);
    const png = Buffer.from(pngs[0]!.content, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(800);
    expect(pngs[1]!.content).toBe(pngs[0]!.content);
    const csvs = parts.filter((a) => a.contentType.startsWith('text/csv'));
    expect(csvs.map((a) => a.filename)).toEqual([
      expect.stringMatching(/-snapshots\.csv$/),
      expect.stringMatching(/-billed-accounts\.csv$/),
    ]);
    const text = (i: number) => Buffer.from(csvs[i]!.content, 'base64').toString('utf8').trim().split(/\r?\n/);
    expect(text(0)).toHaveLength(1 + stored.length);
    const billed = (w.atlassian.org.people as Person[]).filter((p) => simBilled(p, 'standard', org.policies));
    expect(text(1)).toHaveLength(1 + billed.length);
    for (const p of billed.slice(0, 5)) expect(text(1).some((l) => l.includes(p.accountId))).toBe(true);
  });

  it.skipIf(!existsSync(CHROMIUM))('renders the mail from the emulator in Chromium with the chart shown', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
      const inline = mail.attachments.find((a) => (a as { contentId?: string }).contentId === CHART_CID)!;
      // A mail client resolves cid: from the inline part; the browser gets the same bytes as a data: URL.
      await page.setContent(mail.body.html!.replace(`cid:${CHART_CID}`, `data:image/png;base64,${inline.content}`));
      const img = page.locator('img[alt^="Chart: billed Guard seats"]');
      expect(await img.evaluate((i: any) => [i.complete, i.naturalWidth])).toEqual([true, 800]);
      expect(await page.getByText('Billed this period', { exact: true }).isVisible()).toBe(true);
    } finally {
      await browser.close();
    }
  });

  it('prints, with seats --format csv, exactly the snapshots stored in the range', async () => {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const args = ['seats', '--from', day(planAt - 86_400_000), '--to', day(Date.now() + 86_400_000)];
    const out = await lifecycle(w, [...args, '--format', 'csv', '--config', w.configFile]);
    expect(out.code, out.stderr).toBe(0);
    expect(stored).toHaveLength(2);
    expect(out.stdout).toBe(snapshotsCsv(stored, w.config.finance.timeZone));
    const none = await lifecycle(w, ['seats', '--from', '2020-01-01', '--to', '2020-02-01', '--config', w.configFile]);
    expect(none.stdout).toBe('No snapshots in this range.\n');
    const bad = await lifecycle(w, ['seats', '--format', 'xml', '--config', w.configFile]);
    // A bad option value is a usage error (exit 2), refused before anything is read.
    expect([bad.code, bad.stderr]).toEqual([
      2,
      expect.stringContaining("'--format <format>' argument 'xml' is invalid"),
    ]);
    expect(bad.stderr).toContain('expected table, csv or json');
  });

  describe('seats why', () => {
    const people = () => w.atlassian.org.people as Person[];
    const pick = (f: (p: Person) => boolean) => {
      const p = people().find((x) => x.accountType === 'atlassian' && f(x));
      if (!p) throw new Error('the synthetic org has no such account');
      return p;
    };
    const why = async (who: string, config = w.configFile) => {
      const out = await lifecycle(w, ['seats', 'why', who, '--config', config]);
      expect(out.code, out.stderr).toBe(0);
      return out.stdout.trim();
    };
    const active = (p: Person) => p.accountStatus === 'active' && p.membershipStatus === 'active';

    it('explains a billed account (by email, any case)', async () => {
      const p = pick((x) => active(x) && x.policyId === org.policies.billableId && x.products.length > 0);
      expect(await why(p.atlassianEmail.toUpperCase())).toBe(
        `${p.atlassianEmail} (${p.accountId}): Billed on Guard Standard: active, access to ${[...new Set(p.products.map((x) => x.key))].sort().join(', ')}, in the billable policy ${org.policies.billableId}.`,
      );
    });

    it('explains a nonbillable one', async () => {
      const p = pick((x) => active(x) && x.policyId === org.policies.nonbillableId && x.products.length > 0);
      expect(await why(p.accountId)).toMatch(
        new RegExp(
          `^.*\\(${p.accountId}\\): Not billed on Guard Standard: in the nonbillable policy ${org.policies.nonbillableId}; members of a nonbillable policy are not billed`,
        ),
      );
    });

    it('explains a deactivated one (deactivated by the execution just now)', async () => {
      const done = (await w.items()).filter((i) => i.state === 'DONE' && i.action === 'DEACTIVATE');
      const p = pick((x) => x.accountId === done[0]?.accountId);
      expect(p.accountStatus).toBe('inactive');
      expect(await why(p.accountId)).toContain(
        'Not billed on Guard Standard: the account is deactivated, and deactivated accounts are never billed.',
      );
    });

    it('explains an account billed on Premium only', async () => {
      const p = pick(
        (x) =>
          active(x) &&
          x.policyId === org.policies.nonbillableId &&
          x.products.some((k) => k.key === 'confluence' || k.key === 'jira-software'),
      );
      expect(await why(p.accountId)).toContain('Not billed on Guard Standard');
      expect(await why(p.accountId, premiumConfig)).toMatch(
        new RegExp(
          `Billed on Guard Premium: in the nonbillable policy ${org.policies.nonbillableId}, but Guard Premium also counts accounts with Jira or Confluence access`,
        ),
      );
    });

    it('says so, with exit 1, for nobody', async () => {
      const out = await lifecycle(w, ['seats', 'why', 'nobody@nowhere.example', '--config', w.configFile]);
      expect(out.code).toBe(1);
      expect(out.stderr).toContain('No managed account with email or account id "nobody@nowhere.example"');
    });
  });
});
