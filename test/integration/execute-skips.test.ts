/**
 * Re-check just before acting (issue 9, "Skips"): between the approval and the execution the world
 * changes in the simulators; each changed account ends SKIPPED with its reason and is never changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import { syntheticOrg } from '../sim/org/index.js';
import { executionWorld, type ExecWorld } from '../helpers/execute.js';
import { appliedPerAccount, codeOf, mutationsOf, scenarioConfig, uniqueRunId } from '../helpers/execute-scenarios.js';

const org = syntheticOrg({ size: 500, seed: 91, scimSyncedShare: 0 });
const config = scenarioConfig();

describe('execution re-checks each account just before acting', () => {
  let w: ExecWorld;
  let id: string;
  let before: ProposalItem[];
  let after: Map<string, ProposalItem>;
  const picked: Record<'active' | 'confluence' | 'admin' | 'already', ProposalItem> = {} as never;

  beforeAll(async () => {
    w = await executionWorld(org, config, { taskDelayMs: 0 });
    id = await w.planAndApprove(uniqueRunId('skips'));
    before = await w.items(id);
    const deactivations = before.filter((i) => i.action === 'DEACTIVATE' && i.email);
    const toNonbillable = before.filter(
      (i) => i.action === 'MOVE_TO_NONBILLABLE' && org.people.find((p) => p.accountId === i.accountId)?.entra,
    );
    expect(deactivations.length).toBeGreaterThanOrEqual(3);
    expect(toNonbillable.length).toBeGreaterThanOrEqual(1);
    [picked.active, picked.admin, picked.already] = deactivations as [ProposalItem, ProposalItem, ProposalItem];
    picked.confluence = toNonbillable[0]!;

    const now = new Date(w.clock.now()).toISOString();
    // 1. Used Jira just now (the live simulator object is what the API serves).
    const activeP = w.atlassian.person(picked.active.accountId)!;
    activeP.products[0]!.lastActive = now;
    activeP.lastActive = now;
    // 2. Joined the Entra Confluence group.
    const entraId = org.people.find((p) => p.accountId === picked.confluence.accountId)!.entra!.id;
    w.graph.model.addToGroup(org.groups.confluence, entraId);
    // 3. Became an org admin, and the listing shows admins with no role at all (platformRoles []):
    //    only the org's admin list, read again before acting, says so.
    (w.atlassian.person(picked.admin.accountId) as { orgAdmin: boolean }).orgAdmin = true;
    w.atlassian.setFaults('users-read', { adminRolesInListing: 'empty' });
    // 4. Someone deactivated it already.
    w.atlassian.person(picked.already.accountId)!.accountStatus = 'inactive';

    await runExecutionLocally(w.exec, { proposalId: id });
    after = new Map((await w.items(id)).map((i) => [i.accountId, i]));
  }, 900_000);
  afterAll(() => w?.stop());

  it.each([
    ['active', 'BECAME_ACTIVE'],
    ['confluence', 'NOW_NEEDS_CONFLUENCE'],
    ['admin', 'ORG_ADMIN'],
    ['already', 'ALREADY_IN_TARGET_STATE'],
  ] as const)('the %s account ends SKIPPED %s and is never called', (key, code) => {
    const item = after.get(picked[key].accountId);
    expect(item?.state).toBe('SKIPPED');
    expect(codeOf(item)).toBe(code);
    expect(mutationsOf(w, picked[key].accountId)).toEqual([]);
  });

  it('audits each skip (SKIPPED record with the reason code) and writes no INTENT for it', async () => {
    const records = await w.executionAudit(id);
    for (const [key, code] of [
      ['active', 'BECAME_ACTIVE'],
      ['confluence', 'NOW_NEEDS_CONFLUENCE'],
      ['admin', 'ORG_ADMIN'],
      ['already', 'ALREADY_IN_TARGET_STATE'],
    ] as const) {
      const mine = records.filter((r) => r.accountId === picked[key].accountId);
      expect(mine.map((r) => r.event)).toEqual(['SKIPPED']);
      expect((mine[0]!.details as { code?: string }).code).toBe(code);
    }
  });

  it('the unchanged rest of the proposal was executed, each account once', () => {
    const applied = appliedPerAccount(w);
    const skippedIds = new Set(Object.values(picked).map((i) => i.accountId));
    const rest = before.filter((i) => !skippedIds.has(i.accountId));
    const done = rest.filter((i) => after.get(i.accountId)?.state === 'DONE');
    expect(done.length).toBeGreaterThan(rest.length / 2);
    for (const i of done) expect(applied.get(i.accountId), i.accountId).toBe(1);
    for (const id of applied.keys()) expect(after.get(id)?.state, id).toBe('DONE');
  });
});
