/**
 * Atlassian admin API simulator: a loopback HTTP server that behaves like https://api.atlassian.com
 * for the Organizations (`/admin`), User management (`/users`) and Admin Control (`/admin/control`)
 * endpoints this project calls, as documented in ../shared/contracts/atlassian/.
 */
export { startAtlassianSim, type AtlassianSim } from './sim.js';
export {
  ADMIN_ROLES_VIEWS,
  DEFAULT_RATE_LIMITS,
  ENDPOINT_CLASSES,
  MALFORMED_KINDS,
  MUTATION_OUTCOMES,
  type AdminRolesView,
  type AtlassianSimOptions,
  type EndpointClass,
  type FaultConfig,
  type MalformedKind,
  type MalformedPages,
  type MutationKind,
  type MutationOutcome,
  type MutationRecord,
  type RateLimit,
  type RequestRecord,
  type SimAccountState,
  type SimCounters,
  type TaskFailures,
} from './types.js';
export { CONTROL_PREFIX } from './control.js';
export {
  SimControlClient,
  SimControlError,
  type MutationFilter,
  type SimControlClientOptions,
  type SimControlCounts,
} from './control-client.js';
export { SCIM_RESTRICTION } from './handlers/lifecycle.js';
export { SCIM_FORBIDDEN_CODE } from './handlers/directory-users.js';
export { ROUTES } from './routes.js';
export { V1_PAGE_SIZE } from './handlers/users-v1.js';
export { ADD_USERS_MAX, BULK_FETCH_MAX } from './handlers/policy.js';
export { INJECTED_FAILURE, NOT_MANAGED } from './tasks.js';
