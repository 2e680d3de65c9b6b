/**
 * Warn before deactivating (issue 9, warnBeforeDays 7): the first run mails every person to be
 * deactivated and moves policies at once, but deactivates nobody; a run inside the grace period
 * changes nothing and mails nobody again; a person active during the grace period is SKIPPED
 * BECAME_ACTIVE; after the (injected-clock) grace period the others are deactivated exactly once.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import type { StoredEmail } from '../../local/ses.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { allMail, outboxFor } from '../helpers/local.js';
import { appliedPerAccount, codeOf, mutationsOf, scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const DAY = 86_400_000;
const org = syntheticOrg({ size: 400, seed: 96, scimSyncedShare: 0 });
// A contact no other test file uses: it is in every warning this file causes, and only in those.
const contact = `warn-${randomUUID().slice(0, 8)}@example.com`;
const config = scenarioConfig((c) => {
  c.execution = { warnBeforeDays: 7, chunkSize: 60, contact };
});

/** Warnings this file's executions sent to one person. */
async function warningsTo(email: string, mails?: StoredEmail[]): Promise<StoredEmail[]> {
  return (mails ?? (await outboxFor(email))).filter(
    (m) => m.destination.to.includes(email) && (m.body.text ?? '').includes(contact),
  );
}

describe('warn before deactivating', () => {
  let w: ExecWorld;
  let id: string;
  let approved: ProposalItem[];
  let deactivations: ProposalItem[];
  let comesBack: ProposalItem;
  let start: number;
  const afterRun: Record<'first' | 'grace' | 'last', Map<string, ProposalItem>> = {} as never;
  const mutationsAfter: Record<'first' | 'grace' | 'last', number> = {} as never;

  const snapshot = async (key: 'first' | 'grace' | 'last') => {
    afterRun[key] = new Map((await w.items(id)).map((i) => [i.accountId, i]));
    mutationsAfter[key] = w.atlassian.mutations().length;
  };

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    id = await w.planAndApprove(uniqueRunId('warn'));
    approved = await w.items(id);
    deactivations = approved.filter((i) => i.action === 'DEACTIVATE');
    comesBack = deactivations.find((i) => i.email)!;
    start = w.clock.now();

    await runExecutionLocally(w.exec, { proposalId: id });
    await snapshot('first');

    // Three days in: the person uses Jira; a run now must neither act nor mail again.
    w.clock.advance(3 * DAY);
    const p = w.atlassian.person(comesBack.accountId)!;
    p.products[0]!.lastActive = new Date(w.clock.now()).toISOString();
    p.lastActive = p.products[0]!.lastActive;
    await runExecutionLocally(w.exec, { proposalId: id });
    await snapshot('grace');

    // Past the grace period.
    w.clock.advance(4 * DAY + 60_000);
    await runExecutionLocally(w.exec, { proposalId: id });
    await snapshot('last');
  }, 900_000);
  afterAll(() => w?.stop());

  it('the first run mails each person to be deactivated once, saying when, and deactivates nobody', async () => {
    expect(deactivations.length).toBeGreaterThanOrEqual(10);
    for (const d of deactivations) {
      const item = afterRun.first.get(d.accountId)!;
      expect(item.state, d.accountId).toBe('APPROVED');
      expect((item as { notBefore?: string }).notBefore).toBe(new Date(start + 7 * DAY).toISOString());
    }
    const early = w.atlassian
      .mutations()
      .filter((m) => (m.kind === 'disable' || m.kind === 'suspend') && m.atMs < start + 7 * DAY);
    expect(early).toEqual([]);
    const withEmail = deactivations.filter((d) => d.email);
    expect(withEmail.length).toBe(deactivations.length);
    const everything = await allMail();
    for (const d of withEmail) {
      const mails = await warningsTo(d.email!, everything);
      expect(mails, d.email).toHaveLength(1);
      expect(mails[0]!.subject).toMatch(/will be deactivated on \d{1,2} November 2026/);
    }
  });

  it('the first run moves policies at once', () => {
    const moves = approved.filter((i) => i.action !== 'DEACTIVATE');
    expect(moves.length).toBeGreaterThan(0);
    const states = moves.map((i) => afterRun.first.get(i.accountId)!.state);
    expect(states.filter((s) => s === 'APPROVED' || s === 'IN_FLIGHT')).toEqual([]);
    expect(states.filter((s) => s === 'DONE').length).toBeGreaterThan(0);
    const moved = new Set(
      w.atlassian
        .mutations()
        .filter((m) => m.kind === 'add-users')
        .map((m) => m.accountId),
    );
    for (const i of moves.filter((x) => afterRun.first.get(x.accountId)!.state === 'DONE'))
      expect(moved.has(i.accountId), i.accountId).toBe(true);
  });

  it('audits one WARNING_SENT per person', async () => {
    const records = await w.audit(`execution#${id}`);
    const warned = records.filter((r) => r.event === 'WARNING_SENT');
    expect(warned.map((r) => r.accountId).sort()).toEqual(deactivations.map((d) => d.accountId).sort());
  });

  it('a run inside the grace period changes nothing', () => {
    expect(mutationsAfter.grace).toBe(mutationsAfter.first);
    for (const d of deactivations) expect(afterRun.grace.get(d.accountId)!.state).toBe('APPROVED');
  });

  it('the person active during the grace period is SKIPPED BECAME_ACTIVE and never called', () => {
    const item = afterRun.last.get(comesBack.accountId);
    expect(item?.state).toBe('SKIPPED');
    expect(codeOf(item)).toBe('BECAME_ACTIVE');
    expect(mutationsOf(w, comesBack.accountId)).toEqual([]);
    expect(w.atlassian.person(comesBack.accountId)!.accountStatus).toBe('active');
  });

  it('after the grace period the others are deactivated, each exactly once, and nobody is warned twice', async () => {
    const applied = appliedPerAccount(w);
    const others = deactivations.filter((d) => d.accountId !== comesBack.accountId);
    const done = others.filter((d) => afterRun.last.get(d.accountId)!.state === 'DONE');
    expect(done.length).toBeGreaterThan(others.length / 2);
    for (const d of others) {
      const state = afterRun.last.get(d.accountId)!.state;
      expect(['DONE', 'SKIPPED'], d.accountId).toContain(state);
    }
    for (const d of done) {
      expect(applied.get(d.accountId), d.accountId).toBe(1);
      const disables = mutationsOf(w, d.accountId).filter((m) => m.kind === 'disable');
      expect(disables).toHaveLength(1);
      expect(disables[0]!.atMs).toBeGreaterThanOrEqual(start + 7 * DAY);
      expect(w.atlassian.person(d.accountId)!.accountStatus).toBe('inactive');
    }
    const everything = await allMail();
    for (const d of deactivations.slice(0, 15)) expect(await warningsTo(d.email!, everything), d.email).toHaveLength(1);
  });

  it('the approvers get the results mail once, after the last run', async () => {
    const results = (await outboxFor(config.approval.approvers[0]!)).filter((m) =>
      m.attachments.some((a) => a.filename?.includes(id)),
    );
    expect(results).toHaveLength(1);
  });
});
