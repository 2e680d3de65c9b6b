/**
 * Org admins are never proposed, even when the listing's roles say otherwise: the plan reads the
 * org's admin list in bulk (v2 users/search filtered by `roleIds: ["atlassian/org-admin"]`) before
 * anything is proposed, and excludes every account on it as ORG_ADMIN (issue 14, finding 3).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runPlan } from '../../lambdas/plan/index.js';
import { DynamoProposalStore } from '../../lambdas/store/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { syntheticOrg, type Person, type SyntheticOrg } from '../sim/org/index.js';
import type { AdminRolesView } from '../sim/atlassian/index.js';
import { makeConfig } from '../helpers/config.js';
import { daysBefore } from '../helpers/accounts.js';
import { planWorld, type PlanWorld } from '../helpers/plan.js';

const config = makeConfig((c) => {
  c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
});
const SEARCH = 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/search';

/** A 400-person org where six ordinary people are org admins who would otherwise be deactivated. */
function orgWithStaleAdmins(): { org: SyntheticOrg; admins: string[] } {
  const org = syntheticOrg({ size: 400, seed: 21 });
  const candidates = org.people.filter(
    (p) =>
      p.accountType === 'atlassian' &&
      !p.breakGlass &&
      !p.orgAdmin &&
      p.accountStatus === 'active' &&
      p.membershipStatus === 'active' &&
      p.entra?.accountEnabled === true &&
      p.atlassianEmail.endsWith('@example.com') &&
      !p.entra.groups.includes(org.groups.exclusion),
  );
  const chosen = candidates.slice(0, 6);
  for (const p of chosen) {
    (p as { orgAdmin: boolean }).orgAdmin = true;
    for (const u of p.products) u.lastActive = daysBefore(300);
    p.lastActive = daysBefore(300);
  }
  const admins = org.people
    .filter((p: Person) => p.orgAdmin && !p.breakGlass && p.accountType === 'atlassian')
    .map((p) => p.accountId);
  return { org, admins };
}

async function items(w: PlanWorld, proposalId: string): Promise<ProposalItem[]> {
  const out: ProposalItem[] = [];
  for await (const i of new DynamoProposalStore(w.db, w.tables.state, w.clock).items(proposalId)) out.push(i);
  return out;
}

let w: PlanWorld | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

describe('plan: org admins are cross-checked against the org admin list', () => {
  it.each<[string, AdminRolesView]>([
    ['shows their roles as empty', 'empty'],
    ['leaves their roles out', 'omitted'],
  ])('excludes every admin as ORG_ADMIN when the listing %s', async (_what, view) => {
    const { org, admins } = orgWithStaleAdmins();
    expect(admins.length).toBeGreaterThanOrEqual(6);
    w = await planWorld(org, config, { faults: { 'users-read': { adminRolesInListing: view } } });
    const result = await runPlan(w.deps, { runId: `admins-${view}` });
    expect(result.status).toBe('proposed');
    const proposed = new Set((await items(w, result.proposalId!)).map((i) => i.accountId));
    expect(admins.filter((id) => proposed.has(id))).toEqual([]);
    expect(result.tally?.byExclusion.ORG_ADMIN).toBe(admins.length);
    expect(result.tally?.byMissing.platformRoles ?? 0).toBe(0);
    // One bulk read of the admin list (100 per page), not one request per user.
    const adminReads = w.atlassian
      .requests()
      .filter((r) => `${r.method} ${r.template}` === SEARCH && JSON.stringify(r.body).includes('atlassian/org-admin'));
    expect(adminReads).toHaveLength(1);
  });

  it('reads the admin list before the listing, and a dry run does too', async () => {
    const { org, admins } = orgWithStaleAdmins();
    w = await planWorld(org, config, { faults: { 'users-read': { adminRolesInListing: 'empty' } } });
    const result = await runPlan(w.deps, { runId: 'admins-dry', dryRun: true });
    expect(result.items!.filter((i) => admins.includes(i.accountId))).toEqual([]);
    const searches = w.atlassian.requests().filter((r) => `${r.method} ${r.template}` === SEARCH);
    const firstListing = searches.findIndex((r) => !JSON.stringify(r.body).includes('"emails"'));
    expect(JSON.stringify(searches[firstListing]!.body)).toContain('atlassian/org-admin');
  });

  it('fails the run and alerts when the admin list comes back empty: every org has an admin', async () => {
    const org = syntheticOrg({ size: 120, seed: 21 });
    for (const p of org.people) (p as { orgAdmin: boolean }).orgAdmin = false;
    w = await planWorld(org, config);
    await expect(runPlan(w.deps, { runId: 'no-admins' })).rejects.toThrow(/admin list .*empty/);
    expect(await w.deps.proposals.get('no-admins')).toMatchObject({ status: 'ABANDONED' });
    expect(w.handedOff).toEqual([]);
    expect(w.alerts).toEqual([
      { runId: 'no-admins', kind: 'failed', reasons: [expect.stringMatching(/admin list/)], at: expect.any(Number) },
    ]);
  });
});
