import type { PlanDeps } from './ports.js';
import { PlanError } from './unique-accounts.js';

/** The tenant's own email domains for this run, and where they came from. */
export interface TenantDomains {
  readonly domains: readonly string[];
  /** `config`: entra.tenantDomains; `graph`: the verified domains Graph lists (GET /domains). */
  readonly source: 'config' | 'graph';
}

/** Graph listed no verified domain: impossible for a real tenant, so the read is not trusted. */
export class NoTenantDomainsError extends PlanError {
  override readonly name = 'NoTenantDomainsError';
  constructor() {
    super(
      'Microsoft Graph listed no verified domain for the tenant (GET /domains), but every tenant has at least its ' +
        "initial onmicrosoft.com domain: the read cannot be trusted, so nothing was proposed. Check entra.tenantId, or name the tenant's " +
        'email domains in entra.tenantDomains.',
    );
  }
}

/**
 * The domains on which "no Entra user has this email" means deleted from Entra: only needed when
 * `deactivation.deactivateEntraDeleted` is on. Configured ones win; otherwise Graph is asked once.
 */
export async function resolveTenantDomains(
  deps: Pick<PlanDeps, 'config' | 'entra' | 'logger'>,
  runId: string,
): Promise<TenantDomains | undefined> {
  const { config } = deps;
  if (!config.deactivation.deactivateEntraDeleted) return undefined;
  const configured = config.entra.tenantDomains;
  const found: TenantDomains = configured
    ? { domains: configured, source: 'config' }
    : { domains: await deps.entra.readTenantDomains(), source: 'graph' };
  if (found.domains.length === 0) throw new NoTenantDomainsError();
  deps.logger.log('info', 'plan.tenant-domains', { runId, ...found });
  return found;
}
