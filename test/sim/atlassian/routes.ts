/** The route table: every served operation, its rate-limit class and its error style. */
import type { Handler } from './context.js';
import { ErrorStyle } from './errors.js';
import { getLastActiveDates, restoreUser, suspendUser } from './handlers/directory-users.js';
import { disableUser, enableUser, getPermissions } from './handlers/lifecycle.js';
import { addUsersToPolicy, bulkFetchPolicies, getTask } from './handlers/policy.js';
import { listUsersV1, V1_LISTING } from './handlers/users-v1.js';
import { listDirectories, searchUsersV2, V2_LISTING } from './handlers/users-v2.js';
import type { EndpointClass } from './types.js';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** Full path template under the base URL, e.g. `/admin/v1/orgs/{orgId}/users`. */
  readonly template: string;
  readonly cls: EndpointClass;
  readonly style: ErrorStyle;
  readonly handler: Handler;
  /** Listings subject to `malformedPages`: their name and the id field a broken page drops. */
  readonly listing?: { readonly name: string; readonly idField: string };
}

export const ROUTES: readonly Route[] = [
  {
    method: 'GET',
    template: '/admin/v1/orgs/{orgId}/users',
    cls: 'users-read',
    style: ErrorStyle.ORG_V1,
    handler: listUsersV1,
    listing: { name: V1_LISTING, idField: 'account_id' },
  },
  {
    method: 'POST',
    template: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/search',
    cls: 'users-read',
    style: ErrorStyle.ORG_V2,
    handler: searchUsersV2,
    listing: { name: V2_LISTING, idField: 'accountId' },
  },
  {
    method: 'GET',
    template: '/admin/v2/orgs/{orgId}/directories',
    cls: 'users-read',
    style: ErrorStyle.ORG_V2,
    handler: listDirectories,
  },
  {
    method: 'GET',
    template: '/admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates',
    cls: 'last-active',
    style: ErrorStyle.ORG_V1,
    handler: getLastActiveDates,
  },
  {
    method: 'POST',
    template: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend',
    cls: 'user-write',
    style: ErrorStyle.ORG_V2,
    handler: suspendUser,
  },
  {
    method: 'POST',
    template: '/admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/restore',
    cls: 'user-write',
    style: ErrorStyle.ORG_V2,
    handler: restoreUser,
  },
  {
    method: 'POST',
    template: '/users/{account_id}/manage/lifecycle/disable',
    cls: 'user-write',
    style: ErrorStyle.USER_MGMT,
    handler: disableUser,
  },
  {
    method: 'POST',
    template: '/users/{account_id}/manage/lifecycle/enable',
    cls: 'user-write',
    style: ErrorStyle.USER_MGMT,
    handler: enableUser,
  },
  {
    method: 'GET',
    template: '/users/{account_id}/manage',
    cls: 'users-read',
    style: ErrorStyle.USER_MGMT,
    handler: getPermissions,
  },
  {
    method: 'POST',
    template: '/admin/control/v1/orgs/{orgId}/auth-policy/{policyId}/add-users',
    cls: 'policy',
    style: ErrorStyle.ADMIN_CONTROL,
    handler: addUsersToPolicy,
  },
  {
    method: 'GET',
    template: '/admin/control/v1/orgs/{orgId}/auth-policy/task/{taskId}',
    cls: 'policy',
    style: ErrorStyle.ADMIN_CONTROL,
    handler: getTask,
  },
  {
    method: 'POST',
    template: '/admin/control/v1/orgs/{orgId}/users/auth-policies/bulk-fetch',
    cls: 'policy',
    style: ErrorStyle.ADMIN_CONTROL,
    handler: bulkFetchPolicies,
  },
];

export interface RouteMatch {
  readonly route: Route;
  readonly params: Record<string, string>;
}

const compiled = ROUTES.map((route) => ({
  route,
  names: [...route.template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
  regex: new RegExp(`^${route.template.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

/** The route for a method and path; `methodMismatch` when the path exists under another method. */
export function matchRoute(method: string, pathname: string): RouteMatch | { methodMismatch: boolean } {
  let methodMismatch = false;
  for (const c of compiled) {
    const m = c.regex.exec(pathname);
    if (!m) continue;
    if (c.route.method !== method) {
      methodMismatch = true;
      continue;
    }
    try {
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1]!)));
      return { route: c.route, params };
    } catch {
      continue; // a broken %-escape: no such resource
    }
  }
  return { methodMismatch };
}

/** Error style for a path no route serves, by API family. */
export function styleForPath(pathname: string): ErrorStyle {
  if (pathname.startsWith('/admin/control/')) return ErrorStyle.ADMIN_CONTROL;
  if (pathname.startsWith('/admin/v2/')) return ErrorStyle.ORG_V2;
  if (pathname.startsWith('/admin/')) return ErrorStyle.ORG_V1;
  return ErrorStyle.USER_MGMT;
}
