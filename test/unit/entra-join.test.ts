import { describe, expect, it } from 'vitest';
import {
  DirectoryScope,
  EmailJoin,
  EntraMembership,
  joinByEmail,
  type EntraMember,
} from '../../lambdas/entra/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { entraPeople } from '../helpers/graph.js';

function member(id: string, email: string, extra: Partial<EntraMember> = {}): EntraMember {
  return {
    id,
    userPrincipalName: email,
    mail: email,
    accountEnabled: true,
    inConfluenceGroup: false,
    exclusionGroupIds: [],
    ...extra,
  };
}

function membership(members: EntraMember[]): EntraMembership {
  return new EntraMembership({
    confluenceGroupId: 'grp-c',
    exclusionGroupIds: ['grp-x'],
    scope: DirectoryScope.ALL_USERS,
    signInActivity: { state: 'not-requested' },
    members,
  });
}

const account = (accountId: string, email?: string) => ({ accountId, ...(email !== undefined && { email }) });

describe('joinByEmail', () => {
  it('matches emails that differ only in case and surrounding spaces', () => {
    const m = membership([member('e1', 'Ada.Chen1@Example.com')]);
    const result = joinByEmail([account('a1', ' ada.chen1@example.COM ')], m);
    expect(result.matched.map((x) => [x.account.accountId, x.member.id, x.matchedBy])).toEqual([['a1', 'e1', 'mail']]);
    expect(result.missingInEntra).toEqual([]);
    expect(result.missingInAtlassian).toEqual([]);
  });

  it('reports Atlassian accounts with no Entra user, and Entra users with no Atlassian account', () => {
    const m = membership([
      member('e1', 'ada@example.com'),
      member('e2', 'new.hire@example.com', { inConfluenceGroup: true }),
    ]);
    const result = joinByEmail([account('a1', 'ada@example.com'), account('a2', 'gone@example.com')], m);
    expect(result.missingInEntra.map((a) => a.accountId)).toEqual(['a2']);
    expect(result.missingInAtlassian.map((e) => e.id)).toEqual(['e2']);
  });

  it('keeps disabled Entra users as matches, with accountEnabled false', () => {
    const m = membership([member('e1', 'leaver@example.com', { accountEnabled: false })]);
    const [match] = joinByEmail([account('a1', 'leaver@example.com')], m).matched;
    expect(match?.member.accountEnabled).toBe(false);
  });

  it('puts accounts with a hidden email aside instead of calling them missing', () => {
    const result = joinByEmail([account('a1')], membership([member('e1', 'ada@example.com')]));
    expect(result.withoutEmail.map((a) => a.accountId)).toEqual(['a1']);
    expect(result.missingInEntra).toEqual([]);
  });

  it('falls back to userPrincipalName when no mail matches', () => {
    const m = membership([member('e1', 'ada@corp.example.com', { mail: 'ada.chen@example.com' })]);
    expect(m.lookup('ADA@corp.example.com')).toMatchObject({ found: true, matchedBy: 'userPrincipalName' });
  });

  it('marks an email carried by two Entra users as ambiguous', () => {
    const m = membership([
      member('e1', 'ada@example.com'),
      member('e2', 'ada.alias@example.com', { userPrincipalName: 'ada@example.com' }),
    ]);
    expect(m.lookup('ada@example.com')).toMatchObject({ found: true, ambiguous: true, member: { id: 'e1' } });
    expect(m.lookup('ada.alias@example.com')).toMatchObject({ found: true, ambiguous: false });
  });

  it('lists only Confluence-group members as missing in Atlassian when asked', () => {
    const m = membership([member('e1', 'a@example.com'), member('e2', 'b@example.com', { inConfluenceGroup: true })]);
    expect(joinByEmail([], m, { onlyConfluenceGroup: true }).missingInAtlassian.map((e) => e.id)).toEqual(['e2']);
  });
});

describe('EmailJoin (incremental, while Atlassian pages stream by)', () => {
  it('reports the unmatched Entra users once every page has been seen', () => {
    const m = membership([member('e1', 'a@example.com'), member('e2', 'b@example.com'), member('e3', 'c@example.com')]);
    const join = new EmailJoin(m);
    for (const page of [[account('a1', 'A@example.com')], [account('a2', 'x@example.com'), account('a3')]])
      for (const a of page) join.match(a);
    expect(join.unmatchedMembers().map((e) => e.id)).toEqual(['e2', 'e3']);
    expect(join.counts).toEqual({ accounts: 3, matched: 1, missingInEntra: 1, withoutEmail: 1 });
  });
});

describe('the join over a synthetic org (same people on both sides)', () => {
  const org = syntheticOrg({ size: 2000, seed: 11 });
  const m = membership(
    entraPeople(org).map((e) => member(e.id, e.userPrincipalName, { mail: e.mail, accountEnabled: e.accountEnabled })),
  );
  const accounts = org.people.map((p) => account(p.accountId, p.atlassianEmail));
  const result = joinByEmail(accounts, m);

  // Ground truth from the org: a person joins when their Entra mail equals their Atlassian email
  // ignoring case. (The generator gives a few partner-domain people an @Example.com Entra mail:
  // those legitimately do not join, and count as missing on both sides.)
  const joins = (p: (typeof org.people)[number]) =>
    p.entra !== undefined && p.entra.mail.toLowerCase() === p.atlassianEmail.toLowerCase();

  it('matches every person whose Entra email equals the Atlassian one ignoring case', () => {
    const joinable = org.people.filter(joins);
    const caseDiffers = joinable.filter((p) => p.entra!.mail !== p.atlassianEmail);
    expect(caseDiffers.length).toBeGreaterThan(10);
    const matchedIds = new Map(result.matched.map((x) => [x.account.accountId, x.member.id]));
    for (const p of joinable) expect(matchedIds.get(p.accountId)).toBe(p.entra!.id);
    expect(result.matched).toHaveLength(joinable.length);
  });

  it('finds the people missing from Entra and the Entra users missing from Atlassian', () => {
    expect(new Set(result.missingInEntra.map((a) => a.accountId))).toEqual(
      new Set(org.people.filter((p) => !joins(p)).map((p) => p.accountId)),
    );
    const unjoinedEntra = [
      ...org.entraOnly.map((e) => e.id),
      ...org.people.filter((p) => p.entra && !joins(p)).map((p) => p.entra!.id),
    ];
    expect(new Set(result.missingInAtlassian.map((e) => e.id))).toEqual(new Set(unjoinedEntra));
  });

  it('carries the disabled state of Entra leavers', () => {
    const disabled = org.people.filter((p) => joins(p) && !p.entra!.accountEnabled).map((p) => p.accountId);
    expect(disabled.length).toBeGreaterThan(10);
    const joinedDisabled = result.matched.filter((x) => !x.member.accountEnabled).map((x) => x.account.accountId);
    expect(new Set(joinedDisabled)).toEqual(new Set(disabled));
  });
});

describe('facts for the rules engine', () => {
  it('gives found, accountEnabled, groups and sign-in for a match, and found false for a miss', () => {
    const m = membership([
      member('e1', 'ada@example.com', {
        accountEnabled: false,
        inConfluenceGroup: true,
        exclusionGroupIds: ['grp-x'],
        lastSignIn: '2026-10-01T00:00:00Z',
      }),
    ]);
    const join = new EmailJoin(m);
    expect(join.facts(account('a1', 'ADA@example.com'))).toEqual({
      found: true,
      accountEnabled: false,
      inConfluenceGroup: true,
      exclusionGroupIds: ['grp-x'],
      lastSignIn: '2026-10-01T00:00:00Z',
    });
    expect(join.facts(account('a2', 'gone@example.com'))).toEqual({
      found: false,
      inConfluenceGroup: false,
      exclusionGroupIds: [],
    });
  });

  it('gives no facts (unknown, never acted on) for a hidden email or an ambiguous one', () => {
    const m = membership([
      member('e1', 'ada@example.com'),
      member('e2', 'other@example.com', { userPrincipalName: 'ada@example.com' }),
    ]);
    const join = new EmailJoin(m);
    expect(join.facts(account('a1'))).toBeUndefined();
    expect(join.facts(account('a2', 'ada@example.com'))).toBeUndefined();
    expect(join.counts).toMatchObject({ accounts: 2, withoutEmail: 1 });
  });
});
