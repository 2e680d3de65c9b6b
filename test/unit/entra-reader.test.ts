// The reader's whole stack (Graph client, middleware, pager) against the Graph simulator's pipeline in memory: no socket.
import { describe, expect, it } from 'vitest';
import {
  createEntraDirectory,
  DirectoryScope,
  EntraGroupNotFoundError,
  EntraLicenseError,
  EntraPermissionError,
  EntraResponseError,
  SignInActivityMode,
} from '../../lambdas/entra/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { entraPeople, expectedMemberIds, inMemoryGraph, inMemoryOptions } from '../helpers/graph.js';

const org = syntheticOrg({ size: 2500, seed: 3 });
const confluence = expectedMemberIds(org, org.groups.confluence);
const exclusion = expectedMemberIds(org, org.groups.exclusion);

describe('reading group membership', () => {
  it('reads every transitive member of the nested Confluence group, and only users', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(inMemoryOptions(graph, org)).readMembership();
    const inGroup = new Set([...m.members()].filter((x) => x.inConfluenceGroup).map((x) => x.id));
    expect(confluence.size).toBeGreaterThan(999);
    expect(inGroup).toEqual(confluence);
    expect(new Set([...m.members()].filter((x) => x.exclusionGroupIds.length > 0).map((x) => x.id))).toEqual(exclusion);
    expect(m.size).toBe(new Set([...confluence, ...exclusion]).size);
  });

  it('reads each page once: the first pages of all groups in one $batch, then the rest directly', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(inMemoryOptions(graph, org)).readMembership();
    // Confluence group: its users plus 3 nested group objects, 999 per page; exclusion group: 1 page.
    const confluencePages = Math.ceil((confluence.size + 3) / 999);
    expect(m.stats.pages).toBe(confluencePages + 1);
    expect(m.stats).toMatchObject({ batchRequests: 1, batchedSubRequests: 2, httpRequests: confluencePages });
    expect(graph.core.counters()).toMatchObject({
      byRoute: { batch: 1, transitiveMembers: confluencePages - 1 },
      inner: { transitiveMembers: 2 },
    });
  });

  it('asks only for the fields it needs, 999 per page, one request per page without $batch', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(inMemoryOptions(graph, org, { useBatch: false })).readMembership();
    expect(graph.requests[0]).toBe(
      `GET /v1.0/groups/${org.groups.confluence}/transitiveMembers?$select=id,userPrincipalName,mail,accountEnabled&$top=999`,
    );
    expect(m.stats.httpRequests).toBe(m.stats.pages);
    expect(m.stats.batchRequests).toBe(0);
  });

  it('keeps accountEnabled false for members disabled in Entra', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(inMemoryOptions(graph, org)).readMembership();
    const disabled = entraPeople(org).filter((e) => !e.accountEnabled && confluence.has(e.id));
    expect(disabled.length).toBeGreaterThan(0);
    for (const e of disabled) expect(m.byObjectId(e.id)?.accountEnabled).toBe(false);
  });

  it('with the all-users scope, also holds users outside the groups, so "not found" means not in Entra', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(
      inMemoryOptions(graph, org, { scope: DirectoryScope.ALL_USERS }),
    ).readMembership();
    expect(m.size).toBe(entraPeople(org).length);
    const outsider = entraPeople(org).find((e) => e.groups.length === 0)!;
    expect(m.lookup(outsider.mail)).toMatchObject({
      found: true,
      member: { inConfluenceGroup: false, exclusionGroupIds: [] },
    });
    const gone = org.people.find((p) => !p.entra && p.accountType === 'atlassian')!;
    expect(m.lookup(gone.email)).toEqual({ found: false });
  });
});

describe('sign-in activity', () => {
  it('attaches lastSuccessfulSignInDateTime to members when read', async () => {
    const graph = inMemoryGraph({ org });
    const m = await createEntraDirectory(
      inMemoryOptions(graph, org, { signInActivity: SignInActivityMode.REQUIRED }),
    ).readMembership();
    expect(m.signInActivity).toEqual({ state: 'read' });
    const members = entraPeople(org).filter((e) => confluence.has(e.id));
    expect(members.some((e) => e.lastSignIn === undefined)).toBe(true);
    for (const e of members) expect(m.byObjectId(e.id)?.lastSignIn).toBe(e.lastSignIn);
  });

  it('fails with the licence named when the tenant has no P1 and sign-in activity is required', async () => {
    const graph = inMemoryGraph({ org, premium: false });
    const error = await createEntraDirectory(
      inMemoryOptions(graph, org, { signInActivity: SignInActivityMode.REQUIRED }),
    )
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraLicenseError);
    expect(error).toMatchObject({
      status: 403,
      code: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
      permission: 'AuditLog.Read.All',
    });
    expect((error as Error).message).toMatch(/Entra ID P1/);
  });

  it('degrades to no sign-in dates when allowed, and says so', async () => {
    const graph = inMemoryGraph({ org, permissions: ['GroupMember.Read.All', 'User.Read.All'] });
    const m = await createEntraDirectory(
      inMemoryOptions(graph, org, { signInActivity: SignInActivityMode.BEST_EFFORT, scope: DirectoryScope.ALL_USERS }),
    ).readMembership();
    expect(m.signInActivity).toMatchObject({
      state: 'unavailable',
      permission: 'AuditLog.Read.All',
      code: 'Authorization_RequestDenied',
    });
    expect(m.size).toBe(entraPeople(org).length);
    expect([...m.members()].every((x) => x.lastSignIn === undefined)).toBe(true);
  });
});

describe('errors that say what to fix', () => {
  it('names GroupMember.Read.All when Graph refuses the group listing', async () => {
    const graph = inMemoryGraph({ org, permissions: ['User.Read.All'] });
    const error = await createEntraDirectory(inMemoryOptions(graph, org))
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(error).toMatchObject({
      permission: 'GroupMember.Read.All',
      status: 403,
      code: 'Authorization_RequestDenied',
    });
    expect((error as Error).message).toMatch(/lacks GroupMember\.Read\.All.*Grant admin consent/s);
  });

  it('names User.Read.All when Graph lists members without their properties', async () => {
    const graph = inMemoryGraph({ org, permissions: ['GroupMember.Read.All'] });
    const error = await createEntraDirectory(inMemoryOptions(graph, org))
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(error).toMatchObject({ permission: 'User.Read.All' });
  });

  it('says which configured group does not exist', async () => {
    const graph = inMemoryGraph({ org });
    const error = await createEntraDirectory(inMemoryOptions(graph, org, { exclusionGroupIds: ['grp-typo'] }))
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraGroupNotFoundError);
    expect(error).toMatchObject({ groupId: 'grp-typo', status: 404 });
  });

  it('refuses to follow a nextLink that leaves the Graph host', async () => {
    const graph = inMemoryGraph({ org });
    const evil = (async (url, init) => {
      const res = await graph.fetch(url, init);
      const text = (await res.text()).replaceAll('https://graph.test/v1.0', 'https://evil.test/v1.0');
      return new Response(text, { status: res.status, headers: res.headers });
    }) satisfies typeof graph.fetch;
    const error = await createEntraDirectory(inMemoryOptions(graph, org, { fetch: evil, useBatch: false }))
      .readMembership()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraResponseError);
    expect((error as Error).message).toMatch(/nextLink outside https:\/\/graph\.test\/v1\.0.*evil\.test/);
    expect(graph.requests.some((r) => r.includes('evil'))).toBe(false);
  });
});
