// The Entra reader over HTTPS against the Graph simulator: real ClientSecretCredential, real TLS (the simulator's CA trusted, nothing disabled).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEntraDirectory,
  DirectoryScope,
  joinByEmail,
  SignInActivityMode,
  type EntraMembership,
} from '../../lambdas/entra/index.js';
import { startGraphSim, type GraphSim } from '../sim/graph/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { captureLogger, directoryOptions, entraPeople, expectedMemberIds } from '../helpers/graph.js';

// 11,000 people (seed 7) put 5,079 Entra users in the nested Confluence group.
const org = syntheticOrg({ size: 11_000, seed: 7 });
const confluence = expectedMemberIds(org, org.groups.confluence);
const exclusion = expectedMemberIds(org, org.groups.exclusion);

/** Graph requests the simulator saw (token endpoints excluded). */
function graphRequests(sim: GraphSim): number {
  const { byRoute } = sim.counters();
  return (byRoute.batch ?? 0) + (byRoute.transitiveMembers ?? 0) + (byRoute.users ?? 0) + (byRoute.user ?? 0);
}

describe('Entra reader against the Graph simulator (HTTPS)', () => {
  let sim: GraphSim;
  beforeAll(async () => {
    sim = await startGraphSim({ org });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.faults.clear();
    sim.resetCounters();
  });

  it('reads a 5,000-member nested Confluence group completely, each page once, and reports the request count', async () => {
    const logger = captureLogger();
    const m = await createEntraDirectory(directoryOptions(sim, org, { logger })).readMembership();
    const inGroup = [...m.members()].filter((x) => x.inConfluenceGroup).map((x) => x.id);
    expect(confluence.size).toBeGreaterThanOrEqual(5000);
    expect(inGroup).toHaveLength(confluence.size);
    expect(new Set(inGroup)).toEqual(confluence);
    expect(new Set([...m.members()].filter((x) => x.exclusionGroupIds.length > 0).map((x) => x.id))).toEqual(exclusion);
    // 5,079 users + 3 nested group objects at 999 a page = 6 pages; the exclusion group: 1 page.
    expect(m.stats.pages).toBe(7);
    // Round 1: one $batch with the first page of both groups; then 5 direct pages.
    expect(m.stats).toMatchObject({ httpRequests: 6, batchRequests: 1, batchedSubRequests: 2 });
    expect(graphRequests(sim)).toBe(m.stats.httpRequests);
    expect(sim.counters().byRoute).toMatchObject({ openid: 1, token: 1 });
    expect(logger.lines.find((l) => l.message === 'Entra membership read')?.fields).toMatchObject({
      users: m.size,
      httpRequests: 6,
    });
  });

  it('reads every Entra user with sign-in activity in the all-users scope, 500 a page', async () => {
    const m = await createEntraDirectory(
      directoryOptions(sim, org, { scope: DirectoryScope.ALL_USERS, signInActivity: SignInActivityMode.REQUIRED }),
    ).readMembership();
    const people = entraPeople(org);
    expect(m.size).toBe(people.length);
    for (const e of people) expect(m.byObjectId(e.id)?.lastSignIn).toBe(e.lastSignIn);
    const userPages = Math.ceil(people.length / 500);
    expect(m.stats.pages).toBe(userPages + 7);
    // Rounds 1-6 carry a Confluence page and a users page in one $batch (round 1 also the exclusion group); the remaining users pages go alone.
    expect(m.stats.httpRequests).toBe(6 + (userPages - 6));
    expect(graphRequests(sim)).toBe(m.stats.httpRequests);
  });

  describe('joined with the Atlassian accounts of the same org', () => {
    let m: EntraMembership;
    beforeAll(async () => {
      m = await createEntraDirectory(directoryOptions(sim, org, { scope: DirectoryScope.ALL_USERS })).readMembership();
    });
    const accounts = org.people.map((p) => ({ accountId: p.accountId, email: p.atlassianEmail }));
    // Ground truth: a person joins when the Entra mail equals the Atlassian email ignoring case.
    const joins = (p: (typeof org.people)[number]) =>
      p.entra !== undefined && p.entra.mail.toLowerCase() === p.atlassianEmail.toLowerCase();

    it('matches across case differences, and finds who is missing on either side', () => {
      const result = joinByEmail(accounts, m);
      const caseDiffers = org.people.filter((p) => joins(p) && p.entra!.mail !== p.atlassianEmail);
      expect(caseDiffers.length).toBeGreaterThan(100);
      const matched = new Map(result.matched.map((x) => [x.account.accountId, x.member.id]));
      for (const p of org.people.filter(joins)) expect(matched.get(p.accountId)).toBe(p.entra!.id);
      expect(new Set(result.missingInEntra.map((a) => a.accountId))).toEqual(
        new Set(org.people.filter((p) => !joins(p)).map((p) => p.accountId)),
      );
      const entraOnly = new Set(org.entraOnly.map((e) => e.id));
      expect([...entraOnly].every((id) => result.missingInAtlassian.some((e) => e.id === id))).toBe(true);
    });

    it('reports people disabled in Entra as matched with accountEnabled false', () => {
      const result = joinByEmail(accounts, m);
      const disabled = new Set(org.people.filter((p) => joins(p) && !p.entra!.accountEnabled).map((p) => p.accountId));
      expect(disabled.size).toBeGreaterThan(100);
      expect(new Set(result.matched.filter((x) => !x.member.accountEnabled).map((x) => x.account.accountId))).toEqual(
        disabled,
      );
    });
  });

  it('sees leavers made after a first read: disabled becomes accountEnabled false, deleted becomes not found', async () => {
    const local = await startGraphSim({ org: syntheticOrg({ size: 400, seed: 9 }) });
    try {
      const [disabled, deleted] = [...local.model.users.values()].filter((u) => u.accountEnabled);
      const directory = createEntraDirectory(directoryOptions(local, org, { scope: DirectoryScope.ALL_USERS }));
      expect((await directory.readMembership()).lookup(deleted!.mail!)).toMatchObject({ found: true });
      local.model.setAccountEnabled(disabled!.id, false);
      local.model.deleteUser(deleted!.id);
      const m = await directory.readMembership();
      expect(m.lookup(disabled!.mail!.toUpperCase())).toMatchObject({ found: true, member: { accountEnabled: false } });
      expect(m.lookup(deleted!.mail!)).toEqual({ found: false });
    } finally {
      await local.stop();
    }
  });
});
