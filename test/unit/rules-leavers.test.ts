/**
 * Entra leavers: disabled in Entra (`deactivation.deactivateEntraDisabled`) and deleted from Entra
 * (`deactivation.deactivateEntraDeleted`). "Deleted" needs both: no Entra user has the email in a
 * read of every tenant user, and the email is on one of the tenant's own domains; a consultant on
 * a partner domain was never in Entra and is no leaver (issue 14, finding 4).
 */
import { describe, expect, it } from 'vitest';
import { evaluateAccount, withTenantDomains, type Decision, type EntraFacts } from '../../lambdas/rules/index.js';
import type { ManagedAccount } from '../../lambdas/atlassian/types.js';
import { NONBILLABLE, makeContext, makeInput, staleAccount } from '../helpers/accounts.js';

const outcome = (d: Decision) =>
  d.kind === 'action'
    ? `${d.action}/${d.reason}`
    : d.kind === 'needs-data'
      ? `needs-data:${d.missing.join('+')}`
      : d.kind;

type Switches = { disabled?: boolean; deleted?: boolean; domains?: string[] | 'unknown' };
function ctxWith({ disabled = true, deleted = true, domains = ['example.com', 'Corp.Example.NET'] }: Switches = {}) {
  return makeContext((raw) => {
    raw.deactivation.deactivateEntraDisabled = disabled;
    raw.deactivation.deactivateEntraDeleted = deleted;
    if (domains !== 'unknown') raw.entra.tenantDomains = domains;
  });
}
const leaversOn = ctxWith();
const gone: Partial<EntraFacts> = { found: false, accountEnabled: undefined, inConfluenceGroup: false };
const disabled: Partial<EntraFacts> = { accountEnabled: false };

describe('Entra leavers', () => {
  it.each<[string, Switches, Partial<ManagedAccount>, Partial<EntraFacts>, string]>([
    // Deleted: absent from Entra, on a tenant domain.
    ['absent, on a tenant domain', {}, {}, gone, 'DEACTIVATE/ENTRA_NOT_FOUND'],
    [
      'absent, on a tenant domain in another case',
      {},
      { email: 'Jo@CORP.example.net' },
      gone,
      'DEACTIVATE/ENTRA_NOT_FOUND',
    ],
    [
      'absent, on a partner domain: never in Entra',
      {},
      { email: 'jo@consult.example.org' },
      gone,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    [
      'absent, on a subdomain of a tenant domain',
      {},
      { email: 'jo@eu.example.com' },
      gone,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    [
      'absent, on a tenant domain, deleted switch off',
      { deleted: false },
      {},
      gone,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    ['absent, tenant domains unknown', { domains: 'unknown' }, {}, gone, 'needs-data:tenantDomains'],
    [
      'absent, tenant domains unknown, deleted switch off',
      { deleted: false, domains: 'unknown' },
      {},
      gone,
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    [
      'existence unknown (group members read only)',
      {},
      {},
      { found: undefined, inConfluenceGroup: false },
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    ],
    // Disabled: any domain, only its own switch.
    ['disabled, on a tenant domain', {}, {}, disabled, 'DEACTIVATE/ENTRA_DISABLED'],
    ['disabled, on a partner domain', {}, { email: 'jo@consult.example.org' }, disabled, 'DEACTIVATE/ENTRA_DISABLED'],
    ['disabled, disabled switch off', { disabled: false }, {}, disabled, 'keep'],
    ['disabled, only the deleted switch off', { deleted: false }, {}, disabled, 'DEACTIVATE/ENTRA_DISABLED'],
    ['accountEnabled not read', {}, {}, { accountEnabled: undefined }, 'keep'],
    ['accountEnabled true', {}, {}, { accountEnabled: true }, 'keep'],
  ])('%s → %s', (_what, switches, account, entra, expected) => {
    expect(outcome(evaluateAccount(ctxWith(switches), makeInput({ account, entra })))).toBe(expected);
  });

  it('does not propose an active consultant on a partner domain who was never in Entra (the reported case)', () => {
    const consultant = makeInput({ account: { email: 'sam@consult.example.org' }, entra: gone, policyId: NONBILLABLE });
    expect(outcome(evaluateAccount(leaversOn, consultant))).toBe('keep');
  });

  it.each([
    [
      'deleted',
      gone,
      'DEACTIVATE/ENTRA_NOT_FOUND',
      "Deleted from Entra ID: no Entra user has this email and example.com is one of the tenant's domains (deactivation.deactivateEntraDeleted); last active 3 days ago",
      {
        leaverRule: 'deactivation.deactivateEntraDeleted',
        notInEntra: { emailDomain: 'example.com', tenantDomain: true },
      },
    ],
    [
      'disabled',
      disabled,
      'DEACTIVATE/ENTRA_DISABLED',
      'Disabled in Entra ID: accountEnabled is false (deactivation.deactivateEntraDisabled); last active 3 days ago',
      { leaverRule: 'deactivation.deactivateEntraDisabled' },
    ],
  ])('says which rule fired when someone %s in Entra is deactivated', (_what, entra, expected, summary, evidence) => {
    const decision = evaluateAccount(leaversOn, makeInput({ entra }));
    expect(outcome(decision)).toBe(expected);
    expect(decision.summary).toContain(summary);
    expect(decision).toMatchObject({ evidence });
  });

  it('records in the evidence that an absent account is on a partner domain, and names no leaver rule', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: { email: 'jo@consult.example.org' }, entra: gone }),
    );
    expect(decision.kind).toBe('action');
    if (decision.kind !== 'action') return;
    expect(decision.evidence.notInEntra).toEqual({ emailDomain: 'consult.example.org', tenantDomain: false });
    expect(decision.evidence.leaverRule).toBeUndefined();
  });

  it.each<[string, Switches, Partial<ManagedAccount>, Partial<EntraFacts>, unknown]>([
    ['on a tenant domain', {}, {}, gone, { emailDomain: 'example.com', tenantDomain: true }],
    [
      'on a partner domain',
      {},
      { email: 'Jo@Consult.Example.org' },
      gone,
      { emailDomain: 'consult.example.org', tenantDomain: false },
    ],
    ['tenant domains unknown', { deleted: false, domains: 'unknown' }, {}, gone, undefined],
    ['found in Entra', {}, {}, { found: true }, undefined],
    ['existence not read', {}, {}, { found: undefined }, undefined],
    ['a blank email', {}, { email: '  ' }, gone, undefined],
  ])('evidence notInEntra: %s', (_what, switches, account, entra, expected) => {
    const d = evaluateAccount(ctxWith(switches), makeInput({ account, entra }));
    expect('evidence' in d ? d.evidence.notInEntra : 'no evidence').toEqual(expected);
  });

  it('takes the tenant domains read at run time (from Graph) when none are configured', () => {
    const ctx = withTenantDomains(ctxWith({ domains: 'unknown' }), ['EXAMPLE.com']);
    expect(outcome(evaluateAccount(ctx, makeInput({ entra: gone })))).toBe('DEACTIVATE/ENTRA_NOT_FOUND');
    expect(outcome(evaluateAccount(ctx, makeInput({ account: { email: 'a@b.example.org' }, entra: gone })))).toBe(
      'MOVE_TO_NONBILLABLE/NO_CONFLUENCE_NEED',
    );
  });

  it('never treats missing Entra facts or a hidden email as a leaver', () => {
    expect(outcome(evaluateAccount(leaversOn, makeInput({ account: { email: undefined }, entra: 'none' })))).toBe(
      'keep',
    );
    const hidden = makeInput({ account: { email: undefined }, entra: { found: false, inConfluenceGroup: false } });
    expect(outcome(evaluateAccount(leaversOn, hidden))).toBe('keep');
  });

  it('records the leaver reason when the account is also stale, and keeps the staleness in the evidence', () => {
    const decision = evaluateAccount(leaversOn, makeInput({ account: staleAccount(), entra: disabled }));
    expect(decision).toMatchObject({ kind: 'action', reason: 'ENTRA_DISABLED', evidence: { inactiveDays: 200 } });
    expect(decision.summary).toContain('no activity in any product for 200 days');
  });

  it('deactivates a leaver even when staleness cannot be decided', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: { products: [], addedToOrg: undefined }, entra: gone }),
    );
    expect(outcome(decision)).toBe('DEACTIVATE/ENTRA_NOT_FOUND');
  });

  it('deactivates a stale partner-domain account absent from Entra for staleness, not as a leaver', () => {
    const decision = evaluateAccount(
      leaversOn,
      makeInput({ account: staleAccount({ email: 'jo@consult.example.org' }), entra: gone }),
    );
    expect(outcome(decision)).toBe('DEACTIVATE/STALE');
  });
});
