import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrgFixture, OrgFixtureError, parseOrgFixture } from '../sim/org/fixture.js';
import { SYNTHETIC_IDS, syntheticOrg } from '../sim/org/index.js';

describe('org fixture', () => {
  it('fills every default from a minimal person', () => {
    const org = parseOrgFixture({ people: [{ email: 'Ada.Chen@Example.com' }] });
    expect(org).toMatchObject({
      orgId: SYNTHETIC_IDS.orgId,
      directoryId: SYNTHETIC_IDS.directoryId,
      now: '2026-11-01T00:00:00.000Z',
    });
    expect(org.groups.all.map((g) => g.id)).toContain(SYNTHETIC_IDS.confluenceGroup);
    const [p] = org.people;
    expect(p).toMatchObject({
      index: 0,
      accountId: '712020:fixture-0',
      displayName: 'Ada Chen',
      email: 'ada.chen@example.com',
      atlassianEmail: 'Ada.Chen@Example.com',
      accountType: 'atlassian',
      accountStatus: 'active',
      membershipStatus: 'active',
      policyId: SYNTHETIC_IDS.billableId,
      products: [{ key: 'jira-software' }],
      addedToOrg: '2025-11-01T00:00:00.000Z',
      entra: { mail: 'Ada.Chen@Example.com', accountEnabled: true, groups: [] },
    });
    expect(p!.lastActive).toBeUndefined();
  });

  it('takes lastActive as the product date, policy names, no Entra account, and Entra-only people', () => {
    const org = parseOrgFixture({
      people: [{ email: 'a@x.com', lastActive: '2026-01-02T03:04:05.000Z', policy: 'nonbillable', entra: false }],
      entraOnly: [{ mail: 'new@x.com', groups: [SYNTHETIC_IDS.confluenceGroup] }],
    });
    expect(org.people[0]).toMatchObject({
      products: [{ key: 'jira-software', lastActive: '2026-01-02T03:04:05.000Z' }],
      lastActive: '2026-01-02T03:04:05.000Z',
      policyId: SYNTHETIC_IDS.nonbillableId,
    });
    expect(org.people[0]!.entra).toBeUndefined();
    expect(org.entraOnly[0]).toMatchObject({ mail: 'new@x.com', userPrincipalName: 'new@x.com', accountEnabled: true });
  });

  it('names the person index and field of an invalid value', () => {
    const bad = () =>
      parseOrgFixture({ people: [{ email: 'a@x.com' }, { email: 'b@x.com', accountStatus: 'gone' }] }, 'org.json');
    expect(bad).toThrow(OrgFixtureError);
    expect(bad).toThrow(/org\.json[\s\S]*people\[1\]\.accountStatus/);
  });

  it('refuses duplicate ids and emails, and unknown groups', () => {
    try {
      parseOrgFixture({
        people: [
          { email: 'a@x.com', accountId: 'id-1' },
          { email: 'A@X.com', accountId: 'id-1', entra: { groups: ['no-such-group'] } },
        ],
      });
      expect.unreachable();
    } catch (e) {
      expect((e as OrgFixtureError).issues).toEqual([
        'people[1].accountId: id-1 is also used by people[0]',
        'people[1].email: A@X.com is also used by people[0]',
        'people[1].entra.groups[0]: unknown group "no-such-group"',
      ]);
    }
  });

  it('loads a file and reports unreadable JSON with its path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixture-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ orgId: 'org-1', people: [{ email: 'a@x.com', orgAdmin: true }] }));
    expect(loadOrgFixture(good)).toMatchObject({ orgId: 'org-1', people: [{ orgAdmin: true }] });
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"people": [');
    expect(() => loadOrgFixture(broken)).toThrow(
      new RegExp(`${broken.replace(/[.]/g, '\\.')}[\\s\\S]*cannot read the file as JSON`),
    );
  });

  it('takes managementSource per person: invited by default, synced, or null (undetermined)', () => {
    const org = parseOrgFixture({
      people: [
        { email: 'a@x.com' },
        { email: 'b@x.com', managementSource: 'synced' },
        { email: 'c@x.com', managementSource: null },
      ],
    });
    expect(org.people.map((p) => p.managementSource)).toEqual(['invited', 'synced', null]);
    expect(() => parseOrgFixture({ people: [{ email: 'a@x.com', managementSource: 'scim' }] })).toThrow(
      /people\[0\]\.managementSource/,
    );
  });
});

describe('synthetic org: SCIM-synced accounts', () => {
  const eligible = (p: ReturnType<typeof syntheticOrg>['people'][number]) =>
    p.accountType === 'atlassian' && !p.breakGlass && p.entra !== undefined;

  it('syncs about scimSyncedShare (default 3%) of the Atlassian accounts in Entra, never apps, break-glass or cloud-only', () => {
    const org = syntheticOrg({ size: 10_000, seed: 5 });
    const synced = org.people.filter((p) => p.managementSource === 'synced');
    expect(synced.every(eligible)).toBe(true);
    const share = synced.length / org.people.filter(eligible).length;
    expect(share).toBeGreaterThan(0.025);
    expect(share).toBeLessThan(0.035);
    expect(
      org.people.filter((p) => p.managementSource !== 'synced').every((p) => p.managementSource === 'invited'),
    ).toBe(true);
  });

  it("is deterministic, and changing the share changes nobody else's fields", () => {
    const a = syntheticOrg({ size: 2_000, seed: 9 });
    const b = syntheticOrg({ size: 2_000, seed: 9 });
    expect(b.people.map((p) => p.managementSource)).toEqual(a.people.map((p) => p.managementSource));
    const none = syntheticOrg({ size: 2_000, seed: 9, scimSyncedShare: 0 });
    const all = syntheticOrg({ size: 2_000, seed: 9, scimSyncedShare: 1 });
    expect(none.people.some((p) => p.managementSource === 'synced')).toBe(false);
    expect(all.people.filter(eligible).every((p) => p.managementSource === 'synced')).toBe(true);
    const strip = (o: typeof a) => o.people.map(({ managementSource: _m, ...rest }) => rest);
    expect(strip(none)).toEqual(strip(a));
    expect(strip(all)).toEqual(strip(a));
  });

  it('refuses a share outside 0..1', () => {
    expect(() => syntheticOrg({ size: 1, scimSyncedShare: 1.5 })).toThrow(
      /scimSyncedShare must be within 0\.\.1, got 1\.5/,
    );
  });
});
