/**
 * SCIM-synced accounts (issue 9): Atlassian refuses to deactivate them through the API, so execution
 * hands them off to the Entra admin (HANDED_OFF, hand-off CSV in the results mail) and never calls
 * the disable endpoint for them, not even once to see it refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { outboxFor } from '../helpers/local.js';
import {
  appliedPerAccount,
  attachmentText,
  codeOf,
  mutationsOf,
  scenarioConfig,
  uniqueRunId,
} from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 500, seed: 92, scimSyncedShare: 0.3 });
const config = scenarioConfig();
const synced = new Set(org.people.filter((p) => p.managementSource === 'synced').map((p) => p.accountId));

describe('execution of an org with SCIM-synced accounts', () => {
  let w: ExecWorld;
  let id: string;
  let items: ProposalItem[];
  let syncedDeactivations: ProposalItem[];

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    id = await w.planAndApprove(uniqueRunId('scim'));
    await runExecutionLocally(w.exec, { proposalId: id });
    items = await w.items(id);
    syncedDeactivations = items.filter((i) => i.action === 'DEACTIVATE' && synced.has(i.accountId));
  }, 900_000);
  afterAll(() => w?.stop());

  it('hands every synced DEACTIVATE item off (HANDED_OFF) and deactivates the others', () => {
    expect(syncedDeactivations.length).toBeGreaterThanOrEqual(10);
    for (const i of syncedDeactivations) {
      expect(i.state, i.accountId).toBe('HANDED_OFF');
      expect(codeOf(i)).toBe('HANDED_OFF');
    }
    const others = items.filter((i) => i.action === 'DEACTIVATE' && !synced.has(i.accountId));
    expect(others.filter((i) => i.state === 'DONE').length).toBeGreaterThan(0);
    expect(items.filter((i) => i.state === 'HANDED_OFF' && !synced.has(i.accountId))).toEqual([]);
  });

  it('makes no disable call for them: no mutation record, not even a refused one, and no request', () => {
    for (const i of syncedDeactivations) expect(mutationsOf(w, i.accountId), i.accountId).toEqual([]);
    const disablePaths = new Set(
      w.atlassian
        .requests()
        .filter((r) => r.template === '/users/{account_id}/manage/lifecycle/disable')
        .map((r) => decodeURIComponent(r.path.split('/')[2]!)),
    );
    for (const i of syncedDeactivations) expect(disablePaths.has(i.accountId), i.accountId).toBe(false);
    expect(w.atlassian.mutations().filter((m) => m.outcome === 'refused')).toEqual([]);
    for (const [acct, n] of appliedPerAccount(w)) expect(n, acct).toBe(1);
  });

  it('audits each hand-off with a HANDED_OFF record and no INTENT', async () => {
    const records = await w.executionAudit(id);
    for (const i of syncedDeactivations) {
      const mine = records.filter((r) => r.accountId === i.accountId);
      expect(mine.map((r) => r.event)).toEqual(['HANDED_OFF']);
    }
  });

  it('attaches the hand-off CSV, listing exactly the handed-off accounts, to the results mail', async () => {
    const mails = (await outboxFor(config.approval.approvers[0]!)).filter((m) =>
      m.attachments.some((a) => a.filename?.startsWith(`entra-handoff-${id}`)),
    );
    expect(mails).toHaveLength(1);
    const csv = attachmentText(mails[0]!.attachments.find((a) => a.filename?.startsWith('entra-handoff-'))!);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^email,name,accountId,action/);
    expect(lines.length - 1).toBe(syncedDeactivations.length);
    for (const i of syncedDeactivations) expect(csv).toContain(i.accountId);
    for (const i of items.filter((x) => x.state !== 'HANDED_OFF')) expect(csv).not.toContain(i.accountId);
    expect(mails[0]!.body.text).toContain(`${syncedDeactivations.length} account(s) are synced from Entra ID by SCIM`);
  });
});
