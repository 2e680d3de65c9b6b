/**
 * Endpoint classes: each has its own rate-limit window at Atlassian, so each gets its own pacing
 * state and its own concurrency limit.
 */
export const EndpointClass = {
  /** v1 users, v2 users/search, directories, User management permissions (GET /users/{id}/manage). */
  USERS_READ: 'users-read',
  /** Per-user last-active-dates: 200 requests per minute per org (organization.openapi.json). */
  LAST_ACTIVE: 'last-active',
  /** lifecycle disable/enable, v2 suspend/restore. */
  USER_WRITE: 'user-write',
  /** Admin Control: add-users, task status, policy bulk-fetch. */
  POLICY: 'policy',
} as const;
export type EndpointClass = (typeof EndpointClass)[keyof typeof EndpointClass];

/** Default concurrency per class. Listings are sequential by nature (each page names the next). */
export const DEFAULT_CONCURRENCY: Readonly<Record<EndpointClass, number>> = {
  'users-read': 2,
  'last-active': 4,
  'user-write': 4,
  policy: 2,
};
