// The tenant's own domains (GET /domains, verified only), read through the reader's whole stack
// against the Graph simulator's pipeline in memory: no socket.
import { describe, expect, it } from 'vitest';
import { createEntraDirectory, EntraPermissionError, EntraResponseError } from '../../lambdas/entra/index.js';
import { syntheticOrg } from '../sim/org/index.js';
import { DEFAULT_TENANT_DOMAINS } from '../sim/graph/index.js';
import { inMemoryGraph, inMemoryOptions } from '../helpers/graph.js';

const org = syntheticOrg({ size: 50, seed: 3 });

describe('reading the tenant domains', () => {
  it('returns the verified domains, lower-cased, in one request', async () => {
    const graph = inMemoryGraph({ org });
    const domains = await createEntraDirectory(inMemoryOptions(graph, org)).readTenantDomains();
    expect(domains).toEqual(DEFAULT_TENANT_DOMAINS.filter((d) => d.isVerified).map((d) => d.id.toLowerCase()));
    expect(domains).toContain('example.com');
    expect(domains).not.toContain('partner.example.org');
    expect(graph.requests).toEqual(['GET /v1.0/domains']);
  });

  it('leaves out unverified domains and keeps each once', async () => {
    const graph = inMemoryGraph({
      org,
      domains: [
        { id: 'Corp.Example.com', isVerified: true, isDefault: true, isInitial: false },
        { id: 'corp.example.com', isVerified: true, isDefault: false, isInitial: false },
        { id: 'claimed-not-verified.example', isVerified: false, isDefault: false, isInitial: false },
        { id: 'corp.onmicrosoft.com', isVerified: true, isDefault: false, isInitial: true },
      ],
    });
    const domains = await createEntraDirectory(inMemoryOptions(graph, org)).readTenantDomains();
    expect(domains).toEqual(['corp.example.com', 'corp.onmicrosoft.com']);
  });

  it('names Domain.Read.All, and the configuration alternative, when Graph refuses the list', async () => {
    const graph = inMemoryGraph({ org, permissions: ['GroupMember.Read.All', 'User.Read.All'] });
    const error = await createEntraDirectory(inMemoryOptions(graph, org))
      .readTenantDomains()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraPermissionError);
    expect(error).toMatchObject({ permission: 'Domain.Read.All', status: 403 });
    expect((error as Error).message).toMatch(/Domain\.Read\.All.*Grant admin consent/s);
  });

  it('refuses a domain entry without an id or isVerified rather than guess', async () => {
    const graph = inMemoryGraph({
      org,
      domains: [{ id: 'example.com', isVerified: 'yes' as unknown as boolean, isDefault: true, isInitial: false }],
    });
    const error = await createEntraDirectory(inMemoryOptions(graph, org))
      .readTenantDomains()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EntraResponseError);
    expect((error as Error).message).toMatch(/isVerified/);
  });
});
