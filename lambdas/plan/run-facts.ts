import { EmailJoin, type EntraMembership } from '../entra/index.js';
import { withTenantDomains, type RuleContext } from '../rules/index.js';
import { readOrgAdmins } from './org-admins.js';
import type { PlanDeps } from './ports.js';
import { resolveTenantDomains, type TenantDomains } from './tenant-domains.js';

/** What a run reads once, before the listing, and every page is evaluated against. */
export interface RunFacts {
  /** The run's rule context, with the tenant's domains when they were read. */
  readonly ctx: RuleContext;
  /** Account ids on the org's admin list. */
  readonly orgAdmins: ReadonlySet<string>;
  readonly membership: EntraMembership;
  readonly join: EmailJoin;
  /** Undefined when deactivation.deactivateEntraDeleted is off. */
  readonly tenantDomains?: TenantDomains;
}

/** The org admin list, the Entra membership and (for deleted-user deactivation) the tenant's domains. */
export async function readRunFacts(deps: PlanDeps, ctx: RuleContext, runId: string): Promise<RunFacts> {
  const orgAdmins = await readOrgAdmins(deps, runId);
  const membership = await deps.entra.readMembership();
  const tenantDomains = await resolveTenantDomains(deps, runId);
  return {
    ctx: tenantDomains ? withTenantDomains(ctx, tenantDomains.domains) : ctx,
    orgAdmins,
    membership,
    join: new EmailJoin(membership),
    ...(tenantDomains && { tenantDomains }),
  };
}
