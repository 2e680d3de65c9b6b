/**
 * `GET /v1.0/domains` (learn.microsoft.com/graph/api/domain-list): every domain of the tenant, one
 * page, application permission Domain.Read.All; `$select` of the domain resource's properties.
 */
import { Errors, ok, type SimResponse } from './errors.js';
import { parseSelect } from './odata.js';
import type { GraphCall, GraphState } from './routes.js';

/** A domain of the tenant as the simulator holds it (the domain resource's identity and state flags). */
export interface SimDomain {
  /** The fully qualified domain name. */
  readonly id: string;
  readonly isVerified: boolean;
  readonly isDefault: boolean;
  readonly isInitial: boolean;
}

/**
 * The synthetic org's tenant: example.com (the people's domain, verified and default), its initial
 * onmicrosoft.com domain, and a domain added but never verified. partner.example.org (the
 * consultants') is not the tenant's.
 */
export const DEFAULT_TENANT_DOMAINS: readonly SimDomain[] = [
  { id: 'example.com', isVerified: true, isDefault: true, isInitial: false },
  { id: 'synthetictenant.onmicrosoft.com', isVerified: true, isDefault: false, isInitial: true },
  { id: 'example-pending.net', isVerified: false, isDefault: false, isInitial: false },
];

const PROPS = [
  'id',
  'authenticationType',
  'availabilityStatus',
  'isAdminManaged',
  'isDefault',
  'isInitial',
  'isRoot',
  'isVerified',
  'passwordNotificationWindowInDays',
  'passwordValidityPeriodInDays',
  'supportedServices',
  'state',
] as const;

function render(d: SimDomain, select: readonly string[] | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: d.id,
    authenticationType: 'Managed',
    availabilityStatus: null,
    isAdminManaged: true,
    isDefault: d.isDefault,
    isInitial: d.isInitial,
    isRoot: true,
    isVerified: d.isVerified,
    passwordNotificationWindowInDays: 14,
    passwordValidityPeriodInDays: 2147483647,
    supportedServices: d.isVerified ? ['Email', 'OfficeCommunicationsOnline'] : [],
    state: null,
  };
  return select ? Object.fromEntries(select.map((p) => [p, full[p]])) : full;
}

export function domains(state: GraphState, call: GraphCall): SimResponse {
  if (!state.permissions.has('Domain.Read.All')) throw Errors.denied();
  const select = parseSelect(call.query, new Set(PROPS), 'microsoft.graph.domain');
  return ok({
    '@odata.context': `${state.versionRoot()}/$metadata#domains`,
    value: state.domains.map((d) => render(d, select)),
  });
}
