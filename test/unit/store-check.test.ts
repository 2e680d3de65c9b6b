import { describe, expect, it } from 'vitest';
import { errorCode, storeProblem } from '../../lambdas/wiring/store-check.js';
import type { RuntimeEnv } from '../../lambdas/wiring/index.js';

const local: RuntimeEnv = {
  tables: { state: 'lifecycl-state', audit: 'lifecycl-audit', seats: 'lifecycl-seats' },
  dynamoEndpoint: 'http://127.0.0.1:8000',
  region: 'us-east-1',
};
const aws: RuntimeEnv = { tables: local.tables, region: 'eu-west-1' };

describe('what a failed DynamoDB table check says', () => {
  it('a missing table: DynamoDB, the endpoint, the table, its variables and tables that could be meant', () => {
    const m = storeProblem(local, 'state', 'ResourceNotFoundException', ['lifecycle-state', 'lifecycle-audit'])!;
    expect(m).toContain(
      'DynamoDB at http://127.0.0.1:8000 (LIFECYCLE_DYNAMODB_ENDPOINT) has no table "lifecycl-state"',
    );
    expect(m).toContain('LIFECYCLE_TABLE_STATE');
    expect(m).toContain('LIFECYCLE_TABLE_PREFIX');
    expect(m).toContain('could be meant: lifecycle-state.');
    expect(m).toContain('lifecycle local up');
  });

  it('no credentials on AWS: says so and how to set them, or to point at DynamoDB Local', () => {
    const m = storeProblem(aws, 'audit', 'CredentialsProviderError')!;
    expect(m).toMatch(/^DynamoDB in eu-west-1 .*no AWS credentials were found/);
    expect(m).toContain('AWS_PROFILE');
    expect(m).toContain('LIFECYCLE_DYNAMODB_ENDPOINT');
  });

  it('an endpoint that does not answer: names it and its variable', () => {
    expect(storeProblem(local, 'seats', 'ECONNREFUSED')).toMatch(
      /DynamoDB at http:\/\/127\.0\.0\.1:8000 \(LIFECYCLE_DYNAMODB_ENDPOINT\) could not be reached \(ECONNREFUSED\)/,
    );
  });

  it('access denied or throttling says nothing certain: no message, the run goes on', () => {
    expect(storeProblem(aws, 'state', 'AccessDeniedException')).toBeUndefined();
    expect(storeProblem(aws, 'state', 'ThrottlingException')).toBeUndefined();
  });

  it('finds the network code on the cause chain, else the error name', () => {
    const sdk = Object.assign(new Error('x'), {
      name: 'Error',
      cause: Object.assign(new Error('y'), { code: 'ECONNREFUSED' }),
    });
    expect(errorCode(sdk)).toBe('ECONNREFUSED');
    expect(errorCode(Object.assign(new Error('z'), { name: 'ResourceNotFoundException' }))).toBe(
      'ResourceNotFoundException',
    );
  });
});
