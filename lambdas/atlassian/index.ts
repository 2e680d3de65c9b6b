export {
  AtlassianClient,
  mapTaskOutcome,
  BULK_FETCH_BATCH,
  ADD_USERS_BATCH,
  type AtlassianClientOptions,
  type AccountPage,
  type ListOptions,
  type Listing,
} from './client.js';
export { EndpointClass, DEFAULT_CONCURRENCY } from './endpoint-class.js';
export {
  AtlassianError,
  ThrottledError,
  BudgetExhaustedError,
  UnauthorizedError,
  ForbiddenError,
  ActionForbiddenError,
  ScimManagedError,
  NotFoundError,
  AccountNotFoundError,
  ConflictError,
  LifecycleConflictError,
  type LifecycleErrorCode,
  BadRequestError,
  MalformedResponseError,
} from './errors.js';
export { throttleWait, transientWait, parseRetryAfter, THROTTLE_FALLBACK, TRANSIENT_BACKOFF } from './backoff.js';
export type { TransportStats } from './transport.js';
export { SCIM_REASON } from './error-mapping.js';
export {
  AccountStatus,
  ManagementSource,
  type LifecyclePermission,
  type AccountType,
  type ManagedAccount,
  type PolicyAssignment,
  type ProductActivity,
  type TaskOutcome,
} from './types.js';
