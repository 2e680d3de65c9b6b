/**
 * Per-user Organizations endpoints: last-active-dates (v1) and suspend/restore (v2, 204 no body).
 * Suspend/restore answer 204 also when the user already is in that state (logged as `noop`).
 */
import type { Person } from '../../org/index.js';
import type { RequestContext, SimResponse } from '../context.js';
import { SimHttpError } from '../errors.js';
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

function setMembership(ctx: RequestContext, status: 'active' | 'suspended'): SimResponse {
  const person = directoryUser(ctx);
  const changed = ctx.core.state.setMembership(person, status);
  ctx.core.recordMutation({
    atMs: ctx.core.now(),
    kind: status === 'suspended' ? 'suspend' : 'restore',
    method: ctx.method,
    path: ctx.pathname,
    accountId: person.accountId,
    outcome: changed ? 'applied' : 'noop',
  });
  return { status: 204 };
}

/** POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend */
export const suspendUser = (ctx: RequestContext) => setMembership(ctx, 'suspended');
/** POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/restore */
export const restoreUser = (ctx: RequestContext) => setMembership(ctx, 'active');
