import { describe, expect, it } from 'vitest';
import { NoTenantDomainsError } from '../../lambdas/plan/index.js';
import { resolveTenantDomains } from '../../lambdas/plan/tenant-domains.js';
import { memoryLogger } from '../../lambdas/shared/index.js';
import { makeConfig } from '../helpers/config.js';

function deps(edit: (raw: Record<string, any>) => void, graphDomains: string[]) {
  const calls: string[] = [];
  const entra = {
    readMembership: () => Promise.reject(new Error('not used')),
    readTenantDomains: async () => {
      calls.push('GET /domains');
      return graphDomains;
    },
  };
  return { deps: { config: makeConfig(edit), entra, logger: memoryLogger() }, calls };
}

describe('the tenant domains a run uses', () => {
  it.each<[string, (raw: Record<string, any>) => void, string[], unknown, number]>([
    [
      'none when deleted users are not deactivated',
      (r) => (r.deactivation.deactivateEntraDeleted = false),
      ['example.com'],
      undefined,
      0,
    ],
    [
      'the configured ones, without asking Graph',
      (r) => (r.entra.tenantDomains = ['Example.com']),
      ['other.example'],
      { domains: ['example.com'], source: 'config' },
      0,
    ],
    [
      'the verified ones Graph lists otherwise',
      () => undefined,
      ['example.com'],
      { domains: ['example.com'], source: 'graph' },
      1,
    ],
  ])('%s', async (_what, edit, graph, expected, requests) => {
    const w = deps(edit, graph);
    expect(await resolveTenantDomains(w.deps, 'run-1')).toEqual(expected);
    expect(w.calls).toHaveLength(requests);
  });

  it('refuses an empty list from Graph: every tenant has a verified domain', async () => {
    const w = deps(() => undefined, []);
    const error = await resolveTenantDomains(w.deps, 'run-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoTenantDomainsError);
    expect((error as Error).message).toMatch(/no verified domain.*entra\.tenantDomains/s);
  });
});
