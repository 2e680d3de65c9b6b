/**
 * Microsoft Graph simulator: an HTTPS loopback server (self-signed certificate made at start) that
 * stands for https://login.microsoftonline.com (OpenID configuration, v2.0 token endpoint) and
 * https://graph.microsoft.com/v1.0 (`/groups/{id}/transitiveMembers`, `/users`, `/users/{id}`,
 * `/domains`, `$batch`), with `$select`, `$top`, paging, Graph error bodies, permissions, P1 licensing and faults.
 */
export { startGraphSim, createGraphSimCore, GRAPH_SIM_DEFAULTS, type GraphSim, type GraphSimCore } from './sim.js';
export { DEFAULT_TENANT_DOMAINS, type SimDomain } from './domains.js';
export { TenantModel, type SimUser, type SimGroup, type DirectoryObject } from './model.js';
export { FaultPlan } from './faults.js';
export { BATCH_LIMIT, dispatch, render, type Outcome, type SimRequest } from './server.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_SIGN_IN_PAGE_SIZE } from './odata.js';
export {
  SIM_PERMISSIONS,
  ROUTE_NAMES,
  type Fault,
  type FaultRule,
  type GraphSimCounters,
  type GraphSimOptions,
  type RouteName,
  type SimPermission,
} from './types.js';
