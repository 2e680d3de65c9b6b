/**
 * `lifecycle doctor` against the real local parts: DynamoDB Local, the SES v2 emulator, and the
 * Atlassian and Graph simulators. All green on a working setup; each failure mode it can produce
 * gives FAIL on the right line, with a fix, and a non-zero exit code.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfigFile, type Config } from '../../lambdas/config/index.js';
import { freshTables, dynamoClient } from '../helpers/local.js';
import { startSimulatedOrg, type SimulatedOrg } from '../../local/simulated-org.js';
import { freePort } from '../../local/ports.js';
import { doctorExitCode, formatResults, type CheckResult } from '../../bin/doctor-checks.js';
import { runDoctor } from '../../bin/doctor.js';

let sims: SimulatedOrg;
let dir: string;
let env: NodeJS.ProcessEnv;

function writeConfig(name: string, config: Config | Record<string, unknown>): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

const line = (results: readonly CheckResult[], check: string) => {
  const r = results.find((x) => x.check === check);
  if (!r) throw new Error(`no line "${check}" in:\n${formatResults(results)}`);
  return r;
};
const failed = (results: readonly CheckResult[]) => results.filter((r) => r.verdict === 'FAIL').map((r) => r.check);

beforeAll(async () => {
  const base = loadConfigFile(fileURLToPath(new URL('../../config/example.local.json', import.meta.url)));
  sims = await startSimulatedOrg(base, { users: 150, seed: 3 });
  const db = dynamoClient();
  const tables = await freshTables(db);
  db.destroy();
  dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  env = {
    LIFECYCLE_CONFIG_FILE: writeConfig('ok.json', sims.config),
    LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
    LIFECYCLE_TABLE_STATE: tables.state,
    LIFECYCLE_TABLE_AUDIT: tables.audit,
    LIFECYCLE_TABLE_SEATS: tables.seats,
    LIFECYCLE_GRAPH_CA: sims.graph.ca,
    ...sims.secretsEnv,
  };
}, 60_000);

afterAll(async () => {
  await sims?.stop();
});

describe('lifecycle doctor', () => {
  it('passes every check on a working setup, one line each, and exits 0', async () => {
    const results = await runDoctor({ processEnv: env });
    const text = formatResults(results);
    expect(failed(results), text).toEqual([]);
    expect(
      results.filter((r) => r.verdict === 'skip'),
      text,
    ).toEqual([]);
    for (const check of [
      'configuration',
      'secret atlassian.apiKey',
      'secret entra.clientSecret',
      'Atlassian API key',
      'policy policies.billableId',
      'policy policies.nonbillableId',
      'break-glass breakglass-1@example.com',
      'break-glass breakglass-2@example.com',
      'Entra credentials',
      'Graph permission GroupMember.Read.All',
      'Graph permission User.Read.All',
      'Entra group entra.confluenceGroupId',
      'Entra group entra.exclusionGroupIds[0]',
      'table state',
      'table audit',
      'table seats',
      'SES sender',
    ])
      expect(line(results, check).verdict, text).toBe('ok');
    expect(line(results, 'Atlassian API key').detail).toContain(sims.config.orgId);
    expect(text).toMatch(/All \d+ checks passed/);
    expect(doctorExitCode(results)).toBe(0);
    // No secret reaches the output.
    for (const secret of Object.values(sims.secretsEnv)) expect(JSON.stringify(results)).not.toContain(secret);
  }, 60_000);

  it('a wrong Atlassian key: FAIL with 401 on the key line, the Atlassian checks after it skipped, exit 1', async () => {
    const results = await runDoctor({ processEnv: { ...env, ATLASSIAN_API_KEY: 'not-the-key' } });
    const key = line(results, 'Atlassian API key');
    expect(key.verdict).toBe('FAIL');
    expect(key.detail).toMatch(/401/);
    expect(key.fix).toMatch(/API keys/);
    expect(line(results, 'policy policies.billableId').verdict).toBe('skip');
    expect(failed(results)).toEqual(['Atlassian API key']);
    expect(doctorExitCode(results)).toBe(1);
    expect(JSON.stringify(results)).not.toContain('not-the-key');
  }, 60_000);

  it('a missing secret: FAIL on the secret line naming the variable', async () => {
    const results = await runDoctor({ processEnv: { ...env, GRAPH_CLIENT_SECRET: '' } });
    expect(line(results, 'secret entra.clientSecret')).toMatchObject({ verdict: 'FAIL' });
    expect(line(results, 'secret entra.clientSecret').detail).toContain('GRAPH_CLIENT_SECRET');
    expect(failed(results)).toEqual(['secret entra.clientSecret']);
  }, 60_000);

  it('a policy id that does not exist: FAIL on that policy line, naming the policies seen', async () => {
    const path = writeConfig('policy.json', {
      ...sims.config,
      policies: { ...sims.config.policies, nonbillableId: 'policy-typo' },
    });
    const results = await runDoctor({ processEnv: { ...env, LIFECYCLE_CONFIG_FILE: path } });
    const p = line(results, 'policy policies.nonbillableId');
    expect(p.verdict).toBe('FAIL');
    expect(p.detail).toContain('policy-typo');
    expect(p.detail).toContain(sims.config.policies.nonbillableId);
    expect(failed(results)).toEqual(['policy policies.nonbillableId']);
    expect(doctorExitCode(results)).toBe(1);
  }, 60_000);

  it('a break-glass account deactivated, another inside the billable policy: FAIL on each line', async () => {
    const one = sims.atlassian.person('712020:breakglass-1')!;
    const two = sims.atlassian.person('712020:breakglass-2')!;
    const saved = { status: one.accountStatus, policy: two.policyId };
    one.accountStatus = 'inactive';
    two.policyId = sims.config.policies.billableId;
    try {
      const results = await runDoctor({ processEnv: env });
      const a = line(results, 'break-glass breakglass-1@example.com');
      const b = line(results, 'break-glass breakglass-2@example.com');
      expect(a.verdict).toBe('FAIL');
      expect(a.detail).toMatch(/inactive, not active/);
      expect(a.fix).toMatch(/reactivate/);
      expect(b.verdict).toBe('FAIL');
      expect(b.detail).toMatch(/SSO-enforced billable policy/);
      expect(failed(results)).toEqual(['break-glass breakglass-1@example.com', 'break-glass breakglass-2@example.com']);
    } finally {
      one.accountStatus = saved.status;
      two.policyId = saved.policy;
    }
  }, 60_000);

  it('a Graph permission missing: FAIL naming it, with where to grant it', async () => {
    sims.graph.permissions.delete('User.Read.All');
    try {
      const results = await runDoctor({ processEnv: env });
      const p = line(results, 'Graph permission User.Read.All');
      expect(p.verdict).toBe('FAIL');
      expect(p.fix).toMatch(/Grant admin consent/);
      expect(failed(results)).toEqual(['Graph permission User.Read.All']);
    } finally {
      sims.graph.permissions.add('User.Read.All');
    }
    sims.graph.permissions.delete('GroupMember.Read.All');
    try {
      const results = await runDoctor({ processEnv: env });
      expect(line(results, 'Graph permission GroupMember.Read.All').verdict).toBe('FAIL');
      expect(line(results, 'Entra group entra.confluenceGroupId').verdict).toBe('skip');
    } finally {
      sims.graph.permissions.add('GroupMember.Read.All');
    }
  }, 60_000);

  it('an exclusion group that does not exist: FAIL on that group line', async () => {
    const path = writeConfig('group.json', {
      ...sims.config,
      entra: {
        ...sims.config.entra,
        exclusionGroupIds: [...sims.config.entra.exclusionGroupIds, 'grp-does-not-exist'],
      },
    });
    const results = await runDoctor({ processEnv: { ...env, LIFECYCLE_CONFIG_FILE: path } });
    const g = line(results, 'Entra group entra.exclusionGroupIds[1]');
    expect(g.verdict).toBe('FAIL');
    expect(g.detail).toContain('grp-does-not-exist');
    expect(failed(results)).toEqual(['Entra group entra.exclusionGroupIds[1]']);
  }, 60_000);

  it('no database: FAIL on every table line, saying how to start one', async () => {
    const port = await freePort();
    const results = await runDoctor({
      processEnv: { ...env, LIFECYCLE_DYNAMODB_ENDPOINT: `http://127.0.0.1:${port}` },
    });
    expect(failed(results)).toEqual(['table state', 'table audit', 'table seats']);
    expect(line(results, 'table state').fix).toMatch(/lifecycle local up/);
    expect(doctorExitCode(results)).toBe(1);
  }, 60_000);

  it('a table that does not exist: FAIL naming the table and the variable to set', async () => {
    const results = await runDoctor({ processEnv: { ...env, LIFECYCLE_TABLE_AUDIT: 'no-such-table' } });
    const t = line(results, 'table audit');
    expect(t.verdict).toBe('FAIL');
    expect(t.detail).toContain('no-such-table');
    expect(t.fix).toContain('LIFECYCLE_TABLE_AUDIT');
    expect(failed(results)).toEqual(['table audit']);
  }, 60_000);

  it('as a command: prints the FAIL line with its fix and exits 1; --json gives the checks', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('LIFECYCLE_')));
    // Not spawnSync: the simulators answer from this very process.
    const cmd = (args: string[]) => {
      const child = spawn(process.execPath, ['bin/lifecycle.mjs', 'doctor', ...args], {
        cwd: root,
        env: { ...clean, ...env, ATLASSIAN_API_KEY: 'not-the-key' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (status) => resolve({ status, stdout, stderr }));
      });
    };
    const text = await cmd([]);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}Atlassian API key +Atlassian refused the key \(401\)/m);
    expect(text.stdout).toMatch(/^ +fix: create an org admin API key/m);
    expect(text.stdout).toMatch(/^ok {4}table state /m);
    expect(text.stdout).toMatch(/1 of \d+ checks FAILED/);
    const json = await cmd(['--json']);
    expect(json.status).toBe(1);
    const out = JSON.parse(json.stdout) as { ok: boolean; checks: CheckResult[] };
    expect(out.ok).toBe(false);
    expect(failed(out.checks)).toEqual(['Atlassian API key']);
  }, 150_000);

  it('an invalid configuration: FAIL on the configuration line naming the field; tables still checked', async () => {
    const path = writeConfig('bad.json', { ...sims.config, orgId: '' });
    const results = await runDoctor({ processEnv: { ...env, LIFECYCLE_CONFIG_FILE: path } });
    expect(line(results, 'configuration').verdict).toBe('FAIL');
    expect(line(results, 'configuration').detail).toContain('orgId');
    expect(line(results, 'table state').verdict).toBe('ok');
    expect(doctorExitCode(results)).toBe(1);
  }, 60_000);
});
