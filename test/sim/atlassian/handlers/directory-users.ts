/**
 * Per-user Organizations endpoints: last-active-dates (v1) and suspend/restore (v2, 204 no body).
 * Suspend/restore answer 204 also when the user already is in that state (logged as `noop`).
 * SCIM-synced users (`managementSource: synced`) are refused with the documented 403 ("You're not
 * allowed to perform this request"; the spec gives no body for it, the v2 `Errors` list is ours):
 * their access is managed in the identity provider, as the lifecycle endpoints also answer.
 */
import type { Person } from '../../org/index.js';
import type { RequestContext, SimResponse } from '../context.js';
import { SimHttpError } from '../errors.js';
import type { MutationKind } from '../types.js';
import { lastActiveDates } from '../views.js';
import { checkDirectory } from './users-v2.js';

const userNotFound = (accountId: string) =>
  new SimHttpError(404, 'ADMIN-404-8', 'User not found', `No user ${accountId} in this organization`);

/** GET /admin/v1/orgs/{orgId}/directory/users/{accountId}/last-active-dates */
export function getLastActiveDates(ctx: RequestContext): SimResponse {
  const accountId = ctx.params.accountId!;
  const person = ctx.core.state.person(accountId);
  if (!person) throw userNotFound(accountId);
  const cursor = ctx.query.get('cursor');
  if (cursor !== null)
    throw new SimHttpError(
      400,
      'ADMIN-400-4',
      'Invalid resource',
      `The cursor ${JSON.stringify(cursor.slice(0, 40))} is not valid`,
    );
  return { status: 200, body: { data: lastActiveDates(ctx.core.state, person), links: {} } };
}

function directoryUser(ctx: RequestContext): Person {
  checkDirectory(ctx, false);
  const accountId = ctx.params.accountId!;
  const person = ctx.core.state.person(accountId);
  if (!person || person.accountType !== 'atlassian') throw userNotFound(accountId);
  return person;
}

/** v2 403 code for a SCIM-synced user (undocumented upstream: our documented choice). */
export const SCIM_FORBIDDEN_CODE = 'ADMIN-403-1';

function setMembership(ctx: RequestContext, status: 'active' | 'suspended'): SimResponse {
  const person = directoryUser(ctx);
  const kind: MutationKind = status === 'suspended' ? 'suspend' : 'restore';
  const base = { atMs: ctx.core.now(), kind, method: ctx.method, path: ctx.pathname, accountId: person.accountId };
  if (person.managementSource === 'synced') {
    ctx.core.recordMutation({ ...base, outcome: 'refused', reason: SCIM_FORBIDDEN_CODE });
    throw new SimHttpError(
      403,
      SCIM_FORBIDDEN_CODE,
      'Forbidden',
      `User ${person.accountId} is synced from an identity provider (SCIM); manage their access there`,
    );
  }
  const changed = ctx.core.state.setMembership(person, status);
  ctx.core.recordMutation({ ...base, outcome: changed ? 'applied' : 'noop' });
  return { status: 204 };
}

/** POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend */
export const suspendUser = (ctx: RequestContext) => setMembership(ctx, 'suspended');
/** POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/restore */
export const restoreUser = (ctx: RequestContext) => setMembership(ctx, 'active');
