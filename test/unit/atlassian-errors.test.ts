/** The client's typed refusals of lifecycle and directory calls, read from the documented error bodies. */
import { describe, expect, it } from 'vitest';
import {
  AccountNotFoundError,
  ActionForbiddenError,
  ForbiddenError,
  LifecycleConflictError,
  NotFoundError,
  ScimManagedError,
} from '../../lambdas/atlassian/index.js';
import { errorCodesOf, errorFromResponse } from '../../lambdas/atlassian/error-mapping.js';
import { fromV2 } from '../../lambdas/atlassian/mappers.js';
import { lifecyclePermissionSchema, v2UserSchema } from '../../lambdas/atlassian/schemas.js';

const DISABLE = 'POST /users/{account_id}/manage/lifecycle/disable';
const SUSPEND = 'POST /admin/v2/orgs/{orgId}/directories/{directoryId}/users/{accountId}/suspend';
const ID = '712020:abc';
const body = (b: unknown) => JSON.stringify(b);

describe('lifecycle refusals', () => {
  it('turns 403 forbidden.action with reason externalDirectory.scim into ScimManagedError, naming the fix', () => {
    const e = errorFromResponse(
      DISABLE,
      403,
      body({ key: 'forbidden.action', context: { allowed: false, reason: { key: 'externalDirectory.scim' } } }),
      ID,
    );
    expect(e).toBeInstanceOf(ScimManagedError);
    expect(e).toBeInstanceOf(ActionForbiddenError);
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e).toMatchObject({
      name: 'ScimManagedError',
      status: 403,
      errorKey: 'forbidden.action',
      reason: 'externalDirectory.scim',
      accountId: ID,
      endpoint: DISABLE,
    });
    expect(e.message).toMatch(/identity provider \(Entra ID/);
  });

  it('keeps another forbidden.action reason as ActionForbiddenError, and a plain forbidden as ForbiddenError', () => {
    const admin = errorFromResponse(
      DISABLE,
      403,
      body({ key: 'forbidden.action', context: { allowed: false, reason: { key: 'administrative' } } }),
      ID,
    );
    expect(admin).toBeInstanceOf(ActionForbiddenError);
    expect(admin).not.toBeInstanceOf(ScimManagedError);
    expect(admin).toMatchObject({ reason: 'administrative', errorKey: 'forbidden.action' });
    const plain = errorFromResponse(DISABLE, 403, body({ key: 'forbidden' }), ID);
    expect(plain).not.toBeInstanceOf(ActionForbiddenError);
    expect(plain).toMatchObject({ name: 'ForbiddenError', errorKey: 'forbidden' });
  });

  it('turns 409 conflict.lifecycleErrors into LifecycleConflictError with every code and the message', () => {
    const e = errorFromResponse(
      DISABLE,
      409,
      body({
        key: 'conflict.lifecycleErrors',
        context: {
          message: 'Account cannot be deactivated',
          accountId: ID,
          errorCodes: [{ code: 'ALREADY_DEACTIVATED', message: 'Already inactive', link: 'https://x' }, { code: 'B' }],
        },
      }),
      ID,
    );
    expect(e).toBeInstanceOf(LifecycleConflictError);
    expect(e).toMatchObject({
      errorKey: 'conflict.lifecycleErrors',
      errorCodes: ['conflict.lifecycleErrors', 'ALREADY_DEACTIVATED', 'B'],
      apiMessage: 'Account cannot be deactivated',
      lifecycleErrors: [{ code: 'ALREADY_DEACTIVATED', message: 'Already inactive', link: 'https://x' }, { code: 'B' }],
    });
    expect(e.message).toContain('ALREADY_DEACTIVATED, B');
  });

  it('tells an account that is gone (404 accountNotFound) from any other 404', () => {
    expect(errorFromResponse(DISABLE, 404, body({ key: 'accountNotFound' }), ID)).toBeInstanceOf(AccountNotFoundError);
    const other = errorFromResponse(DISABLE, 404, body({ key: 'notFound' }), ID);
    expect(other).toBeInstanceOf(NotFoundError);
    expect(other).not.toBeInstanceOf(AccountNotFoundError);
    // v2 does not say whether the user, the directory or the org is missing.
    const v2 = errorFromResponse(
      SUSPEND,
      404,
      body({ errors: [{ code: 'ADMIN-404-8', title: 'User not found' }] }),
      ID,
    );
    expect(v2).not.toBeInstanceOf(AccountNotFoundError);
    expect(v2).toMatchObject({ errorKey: 'ADMIN-404-8', apiMessage: 'User not found' });
  });

  it('carries the v2 error code and detail of a 403 suspend', () => {
    const e = errorFromResponse(
      SUSPEND,
      403,
      body({ errors: [{ code: 'ADMIN-403-1', title: 'Forbidden', detail: 'synced from an identity provider' }] }),
      ID,
    );
    expect(e).toBeInstanceOf(ForbiddenError);
    expect(e).toMatchObject({ errorKey: 'ADMIN-403-1', apiMessage: 'Forbidden: synced from an identity provider' });
  });

  it('reads the context of user-management bodies, and nothing from an unparsable one', () => {
    expect(
      errorCodesOf(body({ key: 'forbidden.action', context: { allowed: false, reason: { key: 'myselfOnly' } } })),
    ).toEqual({ codes: ['forbidden.action'], reason: 'myselfOnly' });
    expect(errorCodesOf('not json')).toEqual({ codes: [] });
    const e = errorFromResponse(DISABLE, 403, 'not json', ID);
    expect(e).toMatchObject({ name: 'ForbiddenError', errorKey: undefined, apiMessage: undefined });
  });
});

describe('managementSource and the lifecycle permission', () => {
  const user = { accountId: 'a', accountType: 'atlassian', accountStatus: 'active' } as const;

  it('maps synced and invited as given, and absent, null or an unknown value to null (undetermined)', () => {
    const map = (managementSource: unknown) =>
      fromV2(v2UserSchema.parse({ ...user, ...(managementSource !== undefined && { managementSource }) }))
        .managementSource;
    expect(map('synced')).toBe('synced');
    expect(map('invited')).toBe('invited');
    expect(map(null)).toBeNull();
    expect(map(undefined)).toBeNull();
    expect(map('federated')).toBeNull();
  });

  it('parses the permission answer, and refuses one without a reason or without the privilege', () => {
    const scim = { 'lifecycle.enablement': { allowed: false, reason: { key: 'externalDirectory.scim' } } };
    expect(lifecyclePermissionSchema.parse(scim)['lifecycle.enablement']).toEqual(scim['lifecycle.enablement']);
    expect(lifecyclePermissionSchema.safeParse({ 'lifecycle.enablement': { allowed: false } }).success).toBe(false);
    expect(lifecyclePermissionSchema.safeParse({ profile: { allowed: true } }).success).toBe(false);
  });
});
