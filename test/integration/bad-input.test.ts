/**
 * Issue 17's bad-input matrix, table-driven: each row is one bad (or good) input given as a person
 * gives it, through the `lifecycle` command, the CDK app entry or a simulator's command line, in a
 * child process against DynamoDB Local, the SES emulator and both simulators (a few hints are
 * exercised in process against the same simulators). Each row checks the exit code, that the
 * message names the field or value and the fix, and that nothing was written that should not have
 * been: the state, audit and seats tables and this test's own SES outbox are compared before and
 * after, and rows that must fail before reading either API check the simulators' request counters.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport } from '../../lambdas/atlassian/transport.js';
import { createEntraDirectory } from '../../lambdas/entra/index.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import type { TableNames } from '../../lambdas/store/index.js';
import { freePort } from '../../local/ports.js';
import { startSes, type LocalSes } from '../../local/ses.js';
import { syntheticOrg } from '../sim/org/index.js';
import { lifecycleCli, nodeProcess, tableSnapshot, type CliRun } from '../helpers/cli.js';
import { directoryOptions, recordingClock } from '../helpers/graph.js';
import { dynamoClient } from '../helpers/local.js';
import { startExecOrg, type ExecOrg } from '../helpers/start-exec-org.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const planAt = Date.now() - 60_000;
const org = syntheticOrg({ size: 60, seed: 17, now: new Date(planAt).toISOString() });
const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
const NO_AWS_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  AWS_CONFIG_FILE: join(dir, 'none'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
};

type Table = keyof TableNames;
interface State {
  readonly tables: Record<Table, string>;
  readonly mails: number;
  readonly atlassianRequests: number;
  readonly graphRequests: number;
}

/** What a row may change; anything not listed must stay as it was. */
interface Writes {
  readonly tables?: readonly Table[];
  /** New mails in this test's outbox (only alerts, never a proposal). @default 0 */
  readonly mails?: number;
}

interface Row {
  /** The issue's wording of the case. */
  readonly name: string;
  /** `lifecycle` arguments (the configuration comes from LIFECYCLE_CONFIG_FILE unless --config). */
  readonly args?: (files: Files) => string[];
  /** Another program: the CDK app entry or a simulator's command line. */
  readonly program?: 'cdk' | 'sim:atlassian' | 'sim:graph';
  readonly env?: Record<string, string | undefined>;
  readonly arrange?: (w: ExecOrg) => void;
  readonly cleanup?: (w: ExecOrg) => void;
  readonly code: number;
  /** Each must match the output (stderr and stdout). */
  readonly says: readonly (RegExp | string)[];
  readonly saysNot?: readonly (RegExp | string)[];
  readonly writes?: Writes;
  /** The run failed before reading Atlassian or Graph. */
  readonly noApiReads?: boolean;
  readonly check?: (r: CliRun, w: ExecOrg) => void;
  /** Known not to pass yet, and why: registered as skipped (never as passing) until fixed. */
  readonly knownBroken?: string;
}

interface Files {
  readonly good: string;
  /** Writes a variant of the good configuration (edited object, or edited text) and returns its path. */
  variant(name: string, edit: (raw: Record<string, any>) => void): string;
  text(name: string, edit: (text: string) => string): string;
}

const noStackTrace = /^\s+at .+\(.+:\d+:\d+\)$/m;

const rows: readonly Row[] = [
  // Bad (items 1-7)
  {
    name: '1. `plan dry-run` (a mistyped --dry-run) is refused before anything runs',
    args: () => ['plan', 'dry-run'],
    code: 2,
    says: ['dry-run'],
    noApiReads: true,
  },
  {
    name: "2. `plan --run-id ''` is refused naming --run-id, before any write",
    args: () => ['plan', '--run-id', ''],
    code: 2,
    says: ['--run-id'],
    noApiReads: true,
  },
  {
    name: '3. `audit verify` of a stream that does not exist is an error',
    args: () => ['audit', 'verify', 'RUN#no-such-run#1'],
    code: 1,
    says: ['RUN#no-such-run#1'],
    saysNot: ['chain verified'],
    noApiReads: true,
  },
  {
    name: '4a. an unknown option (`plan --frobnicate`) is refused without a stack trace',
    args: () => ['plan', '--frobnicate'],
    code: 2,
    says: ['--frobnicate'],
    saysNot: [noStackTrace],
    noApiReads: true,
  },
  {
    name: '4b. a missing option value (`plan --run-id`) is refused without a stack trace',
    args: () => ['plan', '--run-id'],
    code: 2,
    says: ['--run-id'],
    saysNot: [noStackTrace],
    noApiReads: true,
  },
  {
    name: '5. configured policy ids that do not exist in the org fail the run with a safety alert naming the id',
    args: (f) => [
      'plan',
      '--run-id',
      'bad-policy-ids',
      '--config',
      f.variant('policies', (r) => (r.policies = { billableId: 'pol-typo-billable', nonbillableId: 'pol-typo-free' })),
    ],
    code: 3,
    // The reasons are printed as JSON too: a quote may come escaped.
    says: [
      /policies\.billableId \\?"pol-typo-billable/,
      /policies\.nonbillableId \\?"pol-typo-free/,
      'admin.atlassian.com',
    ],
    // The run and its abandoned proposal are recorded, the alert is mailed; no seat snapshot, no proposal mail.
    writes: { tables: ['state', 'audit'], mails: 1 },
  },
  {
    name: '6. an untrusted Graph simulator certificate is a TLS failure, with the variable to set',
    args: () => ['plan', '--dry-run', '--run-id', 'bad-tls'],
    env: { LIFECYCLE_GRAPH_CA: undefined },
    code: 1,
    says: ['TLS failure', 'LIFECYCLE_GRAPH_CA', 'NODE_EXTRA_CA_CERTS'],
    saysNot: [/client secret|entra\.tenantId/],
  },
  {
    name: '7a. cdk synth with a missing configuration file names it and the fix',
    program: 'cdk',
    args: () => [join(dir, 'no-such-config.json')],
    code: 1,
    says: ['no-such-config.json', '--context configFile='],
    saysNot: [noStackTrace, 'errno'],
  },
  {
    name: '7b. cdk synth with a malformed configuration file does not echo the file',
    program: 'cdk',
    args: (f) => [f.text('malformed', (t) => `${t.slice(0, 200)} SECRET-LOOKING-TEXT`)],
    code: 1,
    says: ['malformed.json', 'not valid JSON'],
    saysNot: [noStackTrace, 'SECRET-LOOKING-TEXT'],
  },
  // Weak: numbers, schedules, JSON
  {
    name: 'caps.maxActionsPerRun 1e12 is over its hard ceiling',
    args: (f) => ['plan', '--dry-run', '--config', f.variant('count-cap', (r) => (r.caps.maxActionsPerRun = 1e12))],
    code: 2,
    says: ['caps.maxActionsPerRun', 'at most 10000', 'hard ceiling'],
    noApiReads: true,
  },
  {
    name: 'caps.maxPercentOfOrg 100 is over its hard ceiling',
    args: (f) => ['plan', '--dry-run', '--config', f.variant('pct-cap', (r) => (r.caps.maxPercentOfOrg = 100))],
    code: 2,
    says: ['caps.maxPercentOfOrg', 'at most 75', 'cannot be configured away'],
    noApiReads: true,
  },
  {
    name: 'deactivation.staleAfterDays 1e9 is out of range',
    args: (f) => ['plan', '--dry-run', '--config', f.variant('stale', (r) => (r.deactivation.staleAfterDays = 1e9))],
    code: 2,
    says: ['deactivation.staleAfterDays', 'at most 1095 days'],
    noApiReads: true,
  },
  {
    name: 'schedules.plan cron(0 25 * * ? *) names the hours field',
    args: (f) => [
      'plan',
      '--dry-run',
      '--config',
      f.variant('cron-hours', (r) => (r.schedules = { ...r.schedules, plan: 'cron(0 25 * * ? *)' })),
    ],
    code: 2,
    says: ['schedules.plan', 'hours field "25"', 'expected 0-23'],
    noApiReads: true,
  },
  {
    name: 'schedules.plan cron(a b c d e f) names the minutes field',
    args: (f) => [
      'plan',
      '--dry-run',
      '--config',
      f.variant('cron-letters', (r) => (r.schedules = { ...r.schedules, plan: 'cron(a b c d e f)' })),
    ],
    code: 2,
    says: ['schedules.plan', 'minutes field "a"'],
    noApiReads: true,
  },
  {
    name: '1e400 is reported as a number out of range, not as null',
    args: (f) => [
      'plan',
      '--dry-run',
      '--config',
      f.text('huge', (t) => t.replace(/"staleAfterDays": \d+/, '"staleAfterDays": 1e400')),
    ],
    code: 2,
    says: ['deactivation.staleAfterDays', 'too large to represent'],
    saysNot: ['got null'],
    noApiReads: true,
  },
  {
    name: 'a UTF-8 byte order mark is dropped: the file is read',
    args: (f) => ['plan', '--dry-run', '--run-id', 'bad-bom', '--config', f.text('bom', (t) => `\uFEFF${t}`)],
    code: 0,
    says: [/^action\temail/m],
    writes: { tables: ['audit'] },
  },
  {
    name: 'a Secrets Manager reference with no AWS credentials says so, naming the setting and the secret',
    args: (f) => [
      'plan',
      '--dry-run',
      '--config',
      f.variant('secrets-manager', (r) => {
        r.atlassian.apiKey = { source: 'secretsManager', secretId: 'lifecycle/atlassian-api-key' };
      }),
    ],
    env: NO_AWS_CREDENTIALS,
    code: 1,
    says: ['atlassian.apiKey', 'lifecycle/atlassian-api-key', 'no AWS credentials were found', 'AWS_PROFILE'],
    saysNot: ['EntraSecretError'],
    noApiReads: true,
  },
  // Weak: the audit commands and the run id
  {
    name: '`audit day 2026-02-30` is refused naming the date',
    args: () => ['audit', 'day', '2026-02-30'],
    code: 2,
    says: ['2026-02-30'],
    noApiReads: true,
  },
  {
    name: '`audit day yesterday` is refused naming the value',
    args: () => ['audit', 'day', 'yesterday'],
    code: 2,
    says: ['yesterday'],
    noApiReads: true,
  },
  {
    name: '`audit frob x` names the bad subcommand',
    args: () => ['audit', 'frob', 'x'],
    code: 2,
    says: ['frob'],
    noApiReads: true,
  },
  {
    name: 'a 3,000-character run id is refused naming --run-id',
    args: () => ['plan', '--dry-run', '--run-id', 'r'.repeat(3000)],
    code: 2,
    says: ['--run-id'],
    noApiReads: true,
  },
  // Weak: the store, checked first
  {
    name: 'DynamoDB unreachable names DynamoDB, the endpoint and its variable, before either API is read',
    args: () => ['plan', '--dry-run'],
    env: { LIFECYCLE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' },
    code: 1,
    says: ['DynamoDB', 'http://127.0.0.1:1', 'LIFECYCLE_DYNAMODB_ENDPOINT', 'lifecycle local up'],
    noApiReads: true,
  },
  {
    name: 'DynamoDB with no AWS credentials says so, before either API is read',
    args: () => ['plan', '--dry-run'],
    env: { LIFECYCLE_DYNAMODB_ENDPOINT: undefined, ...NO_AWS_CREDENTIALS },
    code: 1,
    says: ['DynamoDB', /credentials/i],
    saysNot: [noStackTrace],
    noApiReads: true,
  },
  {
    name: 'a table-prefix typo names the table and LIFECYCLE_TABLE_PREFIX, before either API is read',
    args: () => ['plan', '--dry-run'],
    env: {
      LIFECYCLE_TABLE_STATE: undefined,
      LIFECYCLE_TABLE_AUDIT: undefined,
      LIFECYCLE_TABLE_SEATS: undefined,
      LIFECYCLE_TABLE_PREFIX: 'lifecyle-typo',
    },
    code: 1,
    says: ['lifecyle-typo-State', 'LIFECYCLE_TABLE_PREFIX', 'LIFECYCLE_DYNAMODB_ENDPOINT', 'lifecycle local up'],
    noApiReads: true,
  },
  // Weak: the APIs
  {
    name: 'an unreachable atlassian.baseUrl names atlassian.baseUrl and the value',
    args: (f) => [
      'plan',
      '--dry-run',
      '--config',
      f.variant('base-url', (r) => (r.atlassian.baseUrl = `http://127.0.0.1:${closedPort}`)),
    ],
    code: 1,
    says: [
      /atlassian\.baseUrl http:\/\/127\.0\.0\.1:\d+ could not be reached/,
      'ECONNREFUSED',
      'Check atlassian.baseUrl',
    ],
  },
  {
    name: 'a truncated Graph $batch body is retried like other transient failures',
    args: () => ['plan', '--dry-run', '--run-id', 'bad-batch-cut'],
    arrange: (w) => w.graph.faults.add({ fault: { kind: 'malformed' }, routes: ['batch'], times: 1 }),
    cleanup: (w) => w.graph.faults.clear(),
    code: 0,
    says: [/^action\temail/m],
    writes: { tables: ['audit'] },
    check: (_r, w) => expect(w.graph.faults.injected).toBe(1),
  },
  // Weak: the simulators' command lines
  {
    name: "the simulators' --port 99999 is refused naming --port (Atlassian)",
    program: 'sim:atlassian',
    args: () => ['--users', '5', '--port', '99999'],
    code: 2,
    says: ['--port must be an integer within 0..65535, got "99999"'],
  },
  {
    name: "the simulators' --port 99999 is refused naming --port (Graph)",
    program: 'sim:graph',
    args: () => ['--users', '5', '--port', '99999'],
    code: 2,
    says: ['--port must be an integer within 0..65535'],
  },
  {
    name: "the simulators' fault options are set from the command line, and a misspelt key is named",
    program: 'sim:atlassian',
    args: () => ['--users', '5', '--faults', '{"users-read":{"status5xx":0.1}}'],
    code: 2,
    says: ['--faults: users-read: unknown key(s) status5xx', 'status5xxRate'],
  },
  // Weak: hints
  {
    name: 'after --config, a missing file does not say "Set LIFECYCLE_CONFIG_FILE"',
    args: () => ['plan', '--dry-run', '--config', join(dir, 'absent.json')],
    code: 2,
    says: ['absent.json'],
    saysNot: ['LIFECYCLE_CONFIG_FILE'],
    noApiReads: true,
  },
  {
    name: '`plan --dry-run` prints only tab-separated lines on stdout (no JSON log lines)',
    args: () => ['plan', '--dry-run', '--run-id', 'bad-stdout'],
    code: 0,
    says: [/^action\temail\tname\treason\tsummary$/m],
    writes: { tables: ['audit'] },
    check: (r) => {
      const lines = r.stdout.split('\n').filter((l) => l !== '');
      expect(lines.length).toBeGreaterThan(1);
      for (const l of lines) expect(l.split('\t'), l).toHaveLength(5);
    },
  },
  // A sample of the good ones
  {
    name: 'good: a Graph 403 names the permission and where to grant it',
    args: () => ['plan', '--dry-run', '--run-id', 'good-403'],
    arrange: (w) => w.graph.permissions.delete('GroupMember.Read.All'),
    cleanup: (w) => w.graph.permissions.add('GroupMember.Read.All'),
    code: 1,
    says: ['GroupMember.Read.All', 'API permissions', 'Grant admin consent'],
  },
  {
    name: 'good: a break-glass account in the SSO-enforced policy blocks the run (exit 3)',
    args: () => ['plan', '--dry-run', '--run-id', 'good-break-glass'],
    arrange: (w) => {
      const p = w.atlassian.org.people[0]!;
      breakGlassPolicy = p.policyId;
      p.policyId = w.config.policies.billableId;
    },
    cleanup: (w) => {
      w.atlassian.org.people[0]!.policyId = breakGlassPolicy!;
    },
    code: 3,
    says: ['breakglass-1@example.com'],
    writes: { tables: ['audit'] },
  },
  {
    name: 'good: a malformed page names the field and says nothing of it was used',
    args: () => ['plan', '--dry-run', '--run-id', 'good-malformed'],
    arrange: (w) => w.atlassian.setFaults('users-read', { malformedPages: { kind: 'missing-field', pages: [1] } }),
    cleanup: (w) => w.atlassian.setFaults('users-read', undefined),
    code: 1,
    says: ['Nothing from this response was used'],
  },
  {
    name: 'good: a misspelt configuration field is named, never ignored',
    args: (f) => ['plan', '--dry-run', '--config', f.variant('typo', (r) => (r.caps.maxActionPerRun = 10))],
    code: 2,
    says: ['maxActionPerRun', 'unknown field'],
    noApiReads: true,
  },
  {
    name: 'good: a valid dry run with cron and rate schedules',
    args: (f) => [
      'plan',
      '--dry-run',
      '--run-id',
      'good-dry',
      '--config',
      f.variant(
        'good-schedules',
        (r) => (r.schedules = { plan: 'cron(0/30 1-5 ? * MON-FRI *)', monthlyReport: 'rate(1 day)' }),
      ),
    ],
    code: 0,
    says: [/^action\temail/m],
    writes: { tables: ['audit'] },
  },
];

let breakGlassPolicy: string | undefined;
/** A loopback port nobody listens on (fetch refuses "bad ports" like 1 before connecting). */
let closedPort = 0;

function runProgram(program: NonNullable<Row['program']>, args: string[]): Promise<CliRun> {
  if (program === 'cdk') {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ configFile: args[0] }),
        CDK_OUTDIR: join(dir, 'cdk.out'),
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    return Promise.resolve({ code: r.status, stdout: r.stdout, stderr: r.stderr });
  }
  const entry = program === 'sim:atlassian' ? 'test/sim/atlassian/cli.ts' : 'test/sim/graph/cli.ts';
  return nodeProcess(['--import', 'tsx', entry, ...args]);
}

describe('issue 17: bad input is refused clearly and safely', () => {
  let w: ExecOrg;
  let ses: LocalSes;
  let env: Record<string, string | undefined>;
  let files: Files;
  const db = dynamoClient();

  const state = async (): Promise<State> => {
    const tables = {} as Record<Table, string>;
    for (const t of ['state', 'audit', 'seats'] as const)
      tables[t] = await tableSnapshot(db, { [t]: w.tables[t] } as unknown as TableNames);
    return {
      tables,
      mails: (await ses.outbox()).length,
      atlassianRequests: w.atlassian.counters().total,
      graphRequests: w.graph.counters().total,
    };
  };

  beforeAll(async () => {
    w = await startExecOrg(org, {
      planAt,
      editConfig: (raw) => {
        raw.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
        raw.approval = { ...raw.approval, autoApprove: [], reviewBaseUrl: 'http://127.0.0.1:9' };
      },
    });
    // An SES emulator of this test's own, so its outbox holds this test's mail only.
    ses = await startSes();
    closedPort = await freePort();
    env = { ...w.childEnv, LIFECYCLE_CONFIG_FILE: w.configFile, LIFECYCLE_SES_ENDPOINT: ses.endpoint };
    const goodText = readFileSync(w.configFile, 'utf8');
    files = {
      good: w.configFile,
      variant(name, edit) {
        const raw = JSON.parse(goodText);
        edit(raw);
        const path = join(dir, `${name}.json`);
        writeFileSync(path, JSON.stringify(raw, null, 2));
        return path;
      },
      text(name, edit) {
        const path = join(dir, `${name}.json`);
        writeFileSync(path, edit(goodText));
        return path;
      },
    };
  }, 900_000);
  afterAll(async () => {
    await ses?.stop();
    await w?.stop();
  });

  for (const row of rows.filter((r) => r.knownBroken))
    it.skip(`${row.name} (not yet: ${row.knownBroken})`, () => undefined);

  const passing = rows.filter((r) => !r.knownBroken);
  it.each(passing.map((r) => [r.name, r] as const))('%s', { timeout: 240_000 }, async (_name, row) => {
    const args = row.args?.(files) ?? [];
    const before = await state();
    row.arrange?.(w);
    let r: CliRun;
    try {
      r = row.program ? await runProgram(row.program, args) : await lifecycleCli(args, { ...env, ...row.env });
    } finally {
      row.cleanup?.(w);
    }
    const after = await state();
    const output = `${r.stderr}\n${r.stdout}`;
    expect(r.code, output).toBe(row.code);
    for (const s of row.says) {
      if (typeof s === 'string') expect(output).toContain(s);
      else expect(output).toMatch(s);
    }
    for (const s of row.saysNot ?? []) {
      if (typeof s === 'string') expect(output).not.toContain(s);
      else expect(output).not.toMatch(s);
    }
    for (const t of ['state', 'audit', 'seats'] as const)
      if (!row.writes?.tables?.includes(t)) expect(after.tables[t], `${t} table changed`).toBe(before.tables[t]);
      else expect(after.tables[t], `${t} table unchanged`).not.toBe(before.tables[t]);
    expect(after.mails - before.mails, 'mails sent').toBe(row.writes?.mails ?? 0);
    if (row.noApiReads) {
      expect(after.atlassianRequests, 'Atlassian read').toBe(before.atlassianRequests);
      expect(after.graphRequests, 'Graph read').toBe(before.graphRequests);
    }
    row.check?.(r, w);
  });

  it('the alert of the unknown-policy run names the ids, and no proposal was mailed', async () => {
    const mails = await ses.outbox();
    expect(mails.map((m) => m.body.text ?? m.body.html ?? '').join('\n')).toContain('pol-typo-billable');
  });

  it('hints name real settings: Atlassian throttling names schedules.plan, not "the concurrency"', async () => {
    w.atlassian.setFaults('users-read', { storm429: 50 });
    try {
      const t = new Transport({
        baseUrl: w.atlassian.url,
        apiKey: w.childEnv.ATLASSIAN_API_KEY!,
        clock: new ManualClock(),
        logger: memoryLogger(),
        throttleRetries: 2,
      });
      const err = await t
        .send({
          cls: 'users-read',
          method: 'GET',
          template: '/users',
          path: `/admin/v1/orgs/${org.orgId}/users`,
          schema: undefined,
        })
        .then(
          () => new Error('expected a failure'),
          (e: unknown) => e as Error,
        );
      expect(err.name).toBe('ThrottledError');
      expect(err.message).toContain('schedules.plan');
      expect(err.message).not.toContain('concurrency');
    } finally {
      w.atlassian.setFaults('users-read', undefined);
    }
  });

  it('hints name real settings: Graph throttling names schedules.plan, not "entra retry budgets"', async () => {
    w.graph.faults.add({ fault: { kind: 'throttle', retryAfterSeconds: 1 } });
    try {
      const err = await createEntraDirectory(
        directoryOptions(w.graph, org, { clock: recordingClock(), retry: { random: () => 0, maxThrottledRetries: 1 } }),
      )
        .readMembership()
        .then(
          () => new Error('expected a failure'),
          (e: unknown) => e as Error,
        );
      expect(err.name).toBe('EntraThrottledError');
      expect(err.message).toContain('schedules.plan');
      expect(err.message).not.toContain('retry budgets');
    } finally {
      w.graph.faults.clear();
    }
  });
});
