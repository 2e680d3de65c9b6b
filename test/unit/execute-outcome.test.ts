import { describe, expect, it } from 'vitest';
import {
  AtlassianError,
  BadRequestError,
  BudgetExhaustedError,
  ConflictError,
  ForbiddenError,
  MalformedResponseError,
  NotFoundError,
  ThrottledError,
  UnauthorizedError,
} from '../../lambdas/atlassian/errors.js';
import { outcomeOfError, type ErrorOutcome } from '../../lambdas/execute/index.js';

const DISABLE = 'POST /users/{accountId}/manage/lifecycle/disable';
const at = (status: number, errorCodes: string[] = []) => ({ endpoint: DISABLE, status, errorCodes, accountId: 'a-1' });

type Row = [string, unknown, ErrorOutcome];

describe('outcomeOfError: definite answers about the account are recorded on the item', () => {
  const rows: Row[] = [
    [
      '409 ALREADY_DEACTIVATED',
      new ConflictError('conflict (409).', at(409, ['ALREADY_DEACTIVATED'])),
      { kind: 'skip', reason: 'ALREADY_IN_TARGET_STATE', detail: 'Atlassian: conflict (409).' },
    ],
    [
      '409 with a lower-case "already" code among others',
      new ConflictError('conflict (409).', at(409, ['conflict.lifecycleErrors', 'user.already_inactive'])),
      { kind: 'skip', reason: 'ALREADY_IN_TARGET_STATE', detail: 'Atlassian: conflict (409).' },
    ],
    [
      '409 whose message says "already inactive"',
      new ConflictError(
        'conflict (409). Atlassian said: User is already inactive',
        at(409, ['conflict.lifecycleErrors']),
      ),
      {
        kind: 'skip',
        reason: 'ALREADY_IN_TARGET_STATE',
        detail: 'Atlassian: conflict (409). Atlassian said: User is already inactive',
      },
    ],
    [
      '409 whose message says "Already Deactivated" (any case), with no codes',
      new ConflictError('Already Deactivated', at(409)),
      { kind: 'skip', reason: 'ALREADY_IN_TARGET_STATE', detail: 'Atlassian: Already Deactivated' },
    ],
    [
      '409 whose message says "already active" (an enable)',
      new ConflictError('user is already active', at(409)),
      { kind: 'skip', reason: 'ALREADY_IN_TARGET_STATE', detail: 'Atlassian: user is already active' },
    ],
    [
      '409 ACCOUNT_CLOSED',
      new ConflictError('conflict (409).', at(409, ['ACCOUNT_CLOSED'])),
      { kind: 'skip', reason: 'ACCOUNT_GONE', detail: 'Atlassian: conflict (409).' },
    ],
    [
      'any other 409: failed, with the API’s first key',
      new ConflictError('conflict (409). Atlassian said: locked', at(409, ['conflict.lifecycleErrors', 'x.y'])),
      { kind: 'failed', code: 'conflict.lifecycleErrors', detail: 'conflict (409). Atlassian said: locked' },
    ],
    [
      'a 409 without any key',
      new ConflictError('conflict (409).', at(409)),
      { kind: 'failed', code: 'conflict', detail: 'conflict (409).' },
    ],
    [
      '404: the account is gone',
      new NotFoundError('not found (404).', at(404)),
      { kind: 'skip', reason: 'ACCOUNT_GONE', detail: 'Atlassian: not found (404).' },
    ],
    [
      '403 with a SCIM key: hand off to Entra ID',
      new ForbiddenError('forbidden (403).', at(403, ['forbidden.action', 'lifecycle.SCIM_MANAGED'])),
      { kind: 'handoff', detail: 'Atlassian refused: forbidden (403).' },
    ],
    [
      '403 whose message names externalDirectory.scim',
      new ForbiddenError('forbidden (403). Atlassian said: externalDirectory.scim', at(403, ['forbidden.action'])),
      { kind: 'handoff', detail: 'Atlassian refused: forbidden (403). Atlassian said: externalDirectory.scim' },
    ],
    [
      '403 whose message names externalDirectory in another case',
      new ForbiddenError('managed by EXTERNALDIRECTORY', at(403)),
      { kind: 'handoff', detail: 'Atlassian refused: managed by EXTERNALDIRECTORY' },
    ],
    [
      'any other 403: failed, with the key',
      new ForbiddenError('forbidden (403). Atlassian said: not allowed', at(403, ['forbidden.action'])),
      { kind: 'failed', code: 'forbidden.action', detail: 'forbidden (403). Atlassian said: not allowed' },
    ],
    [
      'a 403 without any key',
      new ForbiddenError('forbidden (403).', at(403)),
      { kind: 'failed', code: 'forbidden', detail: 'forbidden (403).' },
    ],
    [
      '400: failed, with the key',
      new BadRequestError('request refused (400).', at(400, ['invalid.message'])),
      { kind: 'failed', code: 'invalid.message', detail: 'request refused (400).' },
    ],
    [
      'a 400 without any key',
      new BadRequestError('request refused (422).', at(422)),
      { kind: 'failed', code: 'bad-request', detail: 'request refused (422).' },
    ],
  ];
  it.each(rows)('%s', (_, err, expected) => {
    expect(outcomeOfError(err)).toEqual(expected);
  });
});

describe('outcomeOfError: anything that may pass is rethrown (undefined), never recorded', () => {
  const rows: [string, unknown][] = [
    ['429 past its budget', new ThrottledError('throttled', { ...at(429), retryAfterMs: 1000 })],
    ['5xx past its budget', new BudgetExhaustedError('5xx', { ...at(503), attempts: 5 })],
    ['401: an expired key', new UnauthorizedError('unauthorized', at(401, ['ALREADY_DEACTIVATED']))],
    ['a malformed answer', new MalformedResponseError('malformed', { ...at(200), field: 'data' })],
    ['a bare AtlassianError', new AtlassianError('already inactive', at(409, ['ALREADY_DEACTIVATED']))],
    ['a plain Error saying "already inactive"', new Error('already inactive')],
    ['a connection reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a thrown string', 'ALREADY_DEACTIVATED'],
    ['undefined', undefined],
  ];
  it.each(rows)('%s', (_, err) => {
    expect(outcomeOfError(err)).toBeUndefined();
  });
});
