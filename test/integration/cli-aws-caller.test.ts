/**
 * The operator's AWS identity (issue 16): against AWS, `lifecycle approve|reject` and `undo
 * --operator` ask STS GetCallerIdentity once and record the caller beside the typed email; a
 * failing STS refuses the command before anything is written; locally no STS call is made.
 *
 * STS has no local emulator: a loopback server answers the STS Query API like AWS, and the SDK is
 * pointed at it by AWS_ENDPOINT_URL_STS, which the SDK reads itself. "Against AWS" is what the
 * CLI means by it: no LIFECYCLE_DYNAMODB_ENDPOINT. The tables are still on DynamoDB Local, reached
 * through AWS_ENDPOINT_URL_DYNAMODB (also read by the SDK itself), so the CLI cannot tell.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { approveAsOperator } from '../../lambdas/execute/index.js';
import { ManualClock } from '../../lambdas/shared/index.js';
import { DynamoTokenStore } from '../../lambdas/store/index.js';
import { stampAwsCaller } from '../../bin/cli/aws-caller.js';
import { approvalWorld, type ApprovalWorld } from '../helpers/approval.js';
import { makeItem } from '../helpers/approval-fixtures.js';
import { lifecycleCli, tableSnapshot, type CliRun } from '../helpers/cli.js';
import { exampleConfigJson } from '../helpers/config.js';

const tag = Math.random().toString(36).slice(2, 8);
const A = `aws-a-${tag}@example.com`;
const B = `aws-b-${tag}@example.com`;
const CALLER = {
  arn: 'arn:aws:iam::123456789012:user/Alice',
  account: '123456789012',
  userId: 'AIDACKCEVSQ6C2EXAMPLE',
};
// Credentials the CLI is given: none of them may ever be printed.
const SECRET_KEY = `secret-${tag}-never-printed`;
const SESSION_TOKEN = `session-${tag}-never-printed`;

/**
 * A loopback STS answering GetCallerIdentity as AWS does (Query API, XML). The shapes follow the
 * AWS STS API Reference: GetCallerIdentity, "Example 1 - Called by an IAM user"
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), and its Common
 * Errors (ExpiredToken, HTTP 403) in the Query API's ErrorResponse envelope.
 */
interface FakeSts {
  readonly url: string;
  mode: 'ok' | 'expired';
  readonly requests: { body: string; signed: boolean }[];
  stop(): Promise<void>;
}

async function startFakeSts(): Promise<FakeSts> {
  const requests: FakeSts['requests'] = [];
  const state = { mode: 'ok' as FakeSts['mode'] };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      requests.push({ body, signed: /^AWS4-HMAC-SHA256 /.test(req.headers.authorization ?? '') });
      res.setHeader('content-type', 'text/xml');
      if (!new URLSearchParams(body).get('Action')?.startsWith('GetCallerIdentity')) {
        res.statusCode = 400;
        res.end(errorXml('InvalidAction', 'Could not find operation'));
      } else if (state.mode === 'expired') {
        res.statusCode = 403;
        res.end(errorXml('ExpiredToken', 'The security token included in the request is expired'));
      } else {
        res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>${CALLER.arn}</Arn>
    <UserId>${CALLER.userId}</UserId>
    <Account>${CALLER.account}</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata>
    <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
  </ResponseMetadata>
</GetCallerIdentityResponse>`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const errorXml = (code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>${code}</Code>
    <Message>${message}</Message>
  </Error>
  <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
</ErrorResponse>`;

describe('the operator recorded by their AWS identity (STS GetCallerIdentity)', () => {
  let w: ApprovalWorld;
  let sts: FakeSts;
  let config: string;
  const editApproval = (raw: Record<string, any>) => {
    raw.approval.approvers = [A, B];
    raw.approval.quorum = 2;
    raw.approval.autoApprove = [];
  };

  beforeAll(async () => {
    sts = await startFakeSts();
    w = await approvalWorld({ clock: new ManualClock(Date.now()), edit: editApproval });
    const raw = exampleConfigJson();
    raw.approval.signIn = { mode: 'off' };
    raw.approval.reviewBaseUrl = w.config.approval.reviewBaseUrl;
    editApproval(raw);
    config = JSON.stringify(raw);
  });
  afterAll(async () => {
    await w?.stop();
    await sts?.stop();
  });
  beforeEach(() => {
    sts.mode = 'ok';
    sts.requests.length = 0;
  });

  const tables = () => ({
    LIFECYCLE_CONFIG: config,
    LIFECYCLE_TABLE_STATE: w.tables.state,
    LIFECYCLE_TABLE_AUDIT: w.tables.audit,
    LIFECYCLE_TABLE_SEATS: w.tables.seats,
    LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL: undefined,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: undefined,
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  });
  /** Against AWS, as far as the CLI can tell: no LIFECYCLE_DYNAMODB_ENDPOINT, credentials in the environment. */
  const onAws = (args: string[]) =>
    lifecycleCli(args, {
      ...tables(),
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      // DynamoDB Local keeps tables per access key id: the one the tests' own client uses.
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
      AWS_SESSION_TOKEN: SESSION_TOKEN,
    });
  const locally = (args: string[]) =>
    lifecycleCli(args, { ...tables(), LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint') });

  const sent = () => {
    const now = new Date().toISOString();
    return w.seed([makeItem(), makeItem()], { sentAt: now, sendId: `send-${tag}` });
  };
  const ballots = (id: string) => new DynamoTokenStore(w.db, w.tables.state).ballots(id);
  const proposalAudit = (id: string) => w.audit(`PROPOSAL#${id}`);
  const noSecrets = (r: CliRun) => {
    for (const s of [SECRET_KEY, SESSION_TOKEN]) expect(r.stdout + r.stderr).not.toContain(s);
  };

  it('approve against AWS: one GetCallerIdentity, the caller on the ballot and in DECISION_RECORDED', async () => {
    const p = await sent();
    const r = await onAws(['approve', p.proposalId, '--operator', A]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`approve recorded as ${A} (AWS caller ${CALLER.arn}).`);
    expect(sts.requests).toHaveLength(1);
    expect(sts.requests[0]!.signed).toBe(true);
    expect((await ballots(p.proposalId)).map((b) => [b.approver, b.awsCaller])).toEqual([[A, CALLER]]);
    const recorded = (await proposalAudit(p.proposalId)).filter((x) => x.event === 'DECISION_RECORDED');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ actor: `approver:${A}`, details: { awsCaller: CALLER } });
    noSecrets(r);
  });

  it('a refused operator against AWS: the refusal record names the caller', async () => {
    const p = await sent();
    const r = await onAws(['reject', p.proposalId, '--operator', `intruder-${tag}@example.com`, '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not one of approval.approvers');
    expect(sts.requests).toHaveLength(1);
    const refused = (await proposalAudit(p.proposalId)).filter((x) => x.event === 'DECISION_REFUSED');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.details).toMatchObject({ awsCaller: CALLER });
    expect(await ballots(p.proposalId)).toEqual([]);
  });

  it.each([
    ['approve', (id: string) => ['approve', id, '--operator', A]],
    ['reject --json', (id: string) => ['reject', id, '--operator', B, '--json']],
    ['undo --operator', (id: string) => ['undo', id, '--operator', A]],
  ])('%s: STS answering ExpiredToken refuses (exit 1) and nothing is written', async (name, args) => {
    const p = await sent();
    sts.mode = 'expired';
    const before = await tableSnapshot(w.db, w.tables);
    const r = await onAws(args(p.proposalId));
    expect(r.code, r.stderr).toBe(1);
    expect(sts.requests).toHaveLength(1);
    expect(r.stderr).toContain(`lifecycle ${name.split(' ')[0]}: cannot tell who runs this command on AWS`);
    expect(r.stderr).toContain('ExpiredToken: The security token included in the request is expired');
    expect(r.stderr).toContain('nothing was written');
    expect(r.stderr).toContain('aws sso login');
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    if (name.endsWith('--json')) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, exitCode: 1 });
    noSecrets(r);
    expect(await tableSnapshot(w.db, w.tables)).toBe(before);
  });

  it('no AWS credentials at all: refused before STS or DynamoDB is asked, nothing written', async () => {
    const p = await sent();
    const before = await tableSnapshot(w.db, w.tables);
    const r = await lifecycleCli(['approve', p.proposalId, '--operator', A], {
      ...tables(),
      AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoEndpoint'),
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('lifecycle approve: cannot tell who runs this command on AWS');
    expect(r.stderr).toMatch(/CredentialsProviderError: Could not load credentials/);
    expect(r.stderr).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
    expect(sts.requests).toHaveLength(0);
    expect(await tableSnapshot(w.db, w.tables)).toBe(before);
  });

  it('locally (LIFECYCLE_DYNAMODB_ENDPOINT) no STS call is made and the ballot has no caller', async () => {
    const p = await sent();
    sts.mode = 'expired'; // would refuse if it were asked
    const r = await locally(['approve', p.proposalId, '--operator', B]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`approve recorded as ${B}. Waiting`);
    expect(sts.requests).toHaveLength(0);
    const [ballot] = await ballots(p.proposalId);
    expect(ballot).toMatchObject({ approver: B });
    expect(ballot!.awsCaller).toBeUndefined();
    const recorded = (await proposalAudit(p.proposalId)).find((x) => x.event === 'DECISION_RECORDED')!;
    expect(recorded.details).not.toHaveProperty('awsCaller');
  });

  it("undo --operator: the operator's approval records carry the caller (the CLI's audit log, around approveAsOperator)", async () => {
    const p = await w.seed([makeItem(), makeItem()], { undoOf: `source-${tag}` });
    const actor = `operator:${A}`;
    const deps = {
      config: w.config,
      clock: w.clock,
      proposals: w.proposals,
      audit: stampAwsCaller(w.deps.audit, actor, CALLER),
    };
    const approved = await approveAsOperator(deps, p.proposalId, A);
    expect(approved.status).toBe('APPROVED');
    const records = (await proposalAudit(p.proposalId)).filter((x) => x.actor === actor);
    expect(records.map((x) => x.event)).toEqual(['APPROVED', 'APPROVED', 'APPROVED']);
    for (const x of records) expect(x.details).toMatchObject({ awsCaller: CALLER });
    // Others' records are left as they are; without a caller (locally) the log is the same one.
    expect(stampAwsCaller(w.deps.audit, actor, undefined)).toBe(w.deps.audit);
  });
});
