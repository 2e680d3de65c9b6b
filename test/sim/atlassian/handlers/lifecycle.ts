/**
 * User management: POST /users/{account_id}/manage/lifecycle/disable|enable (204, `{key}` errors)
 * and GET /users/{account_id}/manage (permissions). App accounts are not manageable (403
 * `forbidden`); SCIM-synced accounts (`managementSource: synced`) are refused with 403
 * `forbidden.action` and the reason `externalDirectory.scim`, the same restriction the permissions
 * answer shows for `lifecycle.enablement`; closed accounts cannot change (409
 * conflict.lifecycleErrors); a no-op answers 204 unless the `lifecycleConflictOnNoop` option asks
 * for 409. Every answer about an existing account is logged as a mutation (applied/noop/refused).
 */
import type { Person } from '../../org/index.js';
import type { RequestContext, SimResponse } from '../context.js';
import { SimHttpError } from '../errors.js';
import type { MutationKind } from '../types.js';

/** Manageability.Unallowed of a SCIM-synced account (user-management.openapi.json). */
export const SCIM_RESTRICTION = { allowed: false, reason: { key: 'externalDirectory.scim' } } as const;

const accountNotFound = (accountId: string) =>
  new SimHttpError(404, 'accountNotFound', 'Not found', `No account ${accountId}`);
const notManaged = (accountId: string) =>
  new SimHttpError(403, 'forbidden', 'Forbidden', `Account ${accountId} is not a managed account of this organization`);

function manageable(ctx: RequestContext): Person {
  const accountId = ctx.params.account_id!;
  const person = ctx.core.state.person(accountId);
  if (!person) throw accountNotFound(accountId);
  if (person.accountType !== 'atlassian') throw notManaged(accountId);
  return person;
}

const conflict = (accountId: string, code: string, message: string) =>
  new SimHttpError(409, 'conflict.lifecycleErrors', 'Conflict', message, {
    message,
    accountId,
    errorCodes: [{ code, message }],
  });

function checkBody(ctx: RequestContext): void {
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
}

/** The change's outcome, or the error the API answers; a 404 (no account) throws at once. */
function decide(ctx: RequestContext, person: Person, target: 'active' | 'inactive'): 'applied' | 'noop' | SimHttpError {
  const kind = target === 'inactive' ? 'disable' : 'enable';
  if (person.accountType !== 'atlassian') return notManaged(person.accountId);
  if (person.managementSource === 'synced')
    return new SimHttpError(
      403,
      'forbidden.action',
      'Forbidden',
      `Account ${person.accountId} is managed by an external SCIM directory and cannot be ${kind}d here`,
      SCIM_RESTRICTION,
    );
  if (person.accountStatus === 'closed')
    return conflict(person.accountId, 'ACCOUNT_CLOSED', `Account ${person.accountId} is closed and cannot be ${kind}d`);
  const changed = ctx.core.state.setAccountStatus(person, target);
  if (!changed && ctx.core.lifecycleConflictOnNoop)
    return conflict(
      person.accountId,
      target === 'inactive' ? 'ALREADY_DEACTIVATED' : 'ALREADY_ACTIVE',
      `Account ${person.accountId} is already ${target}`,
    );
  return changed ? 'applied' : 'noop';
}

function setStatus(ctx: RequestContext, target: 'active' | 'inactive'): SimResponse {
  checkBody(ctx);
  const accountId = ctx.params.account_id!;
  const person = ctx.core.state.person(accountId);
  if (!person) throw accountNotFound(accountId);
  const outcome = decide(ctx, person, target);
  const kind: MutationKind = target === 'inactive' ? 'disable' : 'enable';
  ctx.core.recordMutation({
    atMs: ctx.core.now(),
    kind,
    method: ctx.method,
    path: ctx.pathname,
    accountId,
    ...(outcome instanceof SimHttpError ? { outcome: 'refused', reason: errorReason(outcome) } : { outcome }),
  });
  if (outcome instanceof SimHttpError) throw outcome;
  return { status: 204 };
}

/** A refusal's reason for the mutation log: the lifecycle error code, or the error key. */
function errorReason(e: SimHttpError): string {
  const codes = e.context?.errorCodes as { code: string }[] | undefined;
  return codes?.[0]?.code ?? e.code;
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

/**
 * GET /users/{account_id}/manage: everything allowed, except lifecycle on closed accounts
 * (`administrative`) and email and lifecycle on SCIM-synced ones (`externalDirectory.scim`).
 */
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
  // A SCIM-synced account's email and lifecycle belong to the identity provider.
  const scim = person.managementSource === 'synced';
  const all: Record<string, unknown> = {
    profile,
    'profile.write': profile,
    'profile.read': allowed,
    'email.set': scim ? SCIM_RESTRICTION : allowed,
    'lifecycle.enablement': person.accountStatus === 'closed' ? closed : scim ? SCIM_RESTRICTION : allowed,
    'lifecycle.delete': scim ? SCIM_RESTRICTION : allowed,
    'apiToken.read': allowed,
    'apiToken.delete': allowed,
  };
  const body = asked.length === 0 ? all : Object.fromEntries(asked.map((p) => [p, all[p]]));
  return { status: 200, body };
}
