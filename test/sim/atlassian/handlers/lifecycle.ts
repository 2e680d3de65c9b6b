/**
 * User management: POST /users/{account_id}/manage/lifecycle/disable|enable (204, `{key}` errors)
 * and GET /users/{account_id}/manage (permissions). App accounts are not manageable (403); closed
 * accounts cannot change (409 conflict.lifecycleErrors); a no-op answers 204 unless the
 * `lifecycleConflictOnNoop` option asks for 409.
 */
import type { Person } from '../../org/index.js';
import type { RequestContext, SimResponse } from '../context.js';
import { SimHttpError } from '../errors.js';

function manageable(ctx: RequestContext): Person {
  const accountId = ctx.params.account_id!;
  const person = ctx.core.state.person(accountId);
  if (!person) throw new SimHttpError(404, 'accountNotFound', 'Not found', `No account ${accountId}`);
  if (person.accountType !== 'atlassian')
    throw new SimHttpError(
      403,
      'forbidden',
      'Forbidden',
      `Account ${accountId} is not a managed account of this organization`,
    );
  return person;
}

const conflict = (accountId: string, code: string, message: string) =>
  new SimHttpError(409, 'conflict.lifecycleErrors', 'Conflict', message, {
    message,
    accountId,
    errorCodes: [{ code, message }],
  });

function setStatus(ctx: RequestContext, target: 'active' | 'inactive'): SimResponse {
  const body = ctx.json();
  if (
    body !== undefined &&
    (typeof body !== 'object' ||
      body === null ||
      Array.isArray(body) ||
      ('message' in body && typeof body.message !== 'string'))
  ) {
    throw new SimHttpError(
      400,
      'fieldConstraintsViolated',
      'Bad request',
      'The body must be an object with an optional string `message`',
    );
  }
  const person = manageable(ctx);
  const kind = target === 'inactive' ? 'disable' : 'enable';
  if (person.accountStatus === 'closed')
    throw conflict(person.accountId, 'ACCOUNT_CLOSED', `Account ${person.accountId} is closed and cannot be ${kind}d`);
  const changed = ctx.core.state.setAccountStatus(person, target);
  if (!changed && ctx.core.lifecycleConflictOnNoop)
    throw conflict(
      person.accountId,
      target === 'inactive' ? 'ALREADY_DEACTIVATED' : 'ALREADY_ACTIVE',
      `Account ${person.accountId} is already ${target}`,
    );
  ctx.core.recordMutation({
    atMs: ctx.core.now(),
    kind,
    method: ctx.method,
    path: ctx.pathname,
    accountId: person.accountId,
    outcome: changed ? 'applied' : 'noop',
  });
  return { status: 204 };
}

export const disableUser = (ctx: RequestContext) => setStatus(ctx, 'inactive');
export const enableUser = (ctx: RequestContext) => setStatus(ctx, 'active');

const PRIVILEGES = [
  'profile',
  'profile.write',
  'profile.read',
  'email.set',
  'lifecycle.enablement',
  'lifecycle.delete',
  'apiToken.read',
  'apiToken.delete',
] as const;
const PROFILE_FIELDS = [
  'name',
  'nickname',
  'zoneinfo',
  'locale',
  'extended_profile.job_title',
  'extended_profile.department',
  'extended_profile.organization',
  'extended_profile.location',
];

/** GET /users/{account_id}/manage: everything allowed, except lifecycle on closed accounts. */
export function getPermissions(ctx: RequestContext): SimResponse {
  const person = manageable(ctx);
  // Unknown privilege names are ignored (the spec documents no 400 here).
  const asked = ctx.query
    .getAll('privileges')
    .flatMap((p) => p.split(','))
    .filter((p) => (PRIVILEGES as readonly string[]).includes(p));
  const allowed = { allowed: true };
  const profile = Object.fromEntries(PROFILE_FIELDS.map((f) => [f, allowed]));
  const closed = { allowed: false, reason: { key: 'administrative' } };
  const all: Record<string, unknown> = {
    profile,
    'profile.write': profile,
    'profile.read': allowed,
    'email.set': allowed,
    'lifecycle.enablement': person.accountStatus === 'closed' ? closed : allowed,
    'lifecycle.delete': allowed,
    'apiToken.read': allowed,
    'apiToken.delete': allowed,
  };
  const body = asked.length === 0 ? all : Object.fromEntries(asked.map((p) => [p, all[p]]));
  return { status: 200, body };
}
