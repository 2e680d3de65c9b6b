/**
 * The CDK app's configuration (issue 11; issue 17 item 7): synth with a missing, malformed or
 * invalid file stops with one clear message naming the file and the fix, exit 1, no stack trace and
 * nothing of the file's content echoed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONFIG_CONTEXT_KEY,
  DEFAULT_CONFIG_FILE,
  auditIndexesProjectAllOf,
  configFileOf,
  withoutJsonExcerpt,
} from '../../bin/app-config.js';
import { ConfigError } from '../../lambdas/config/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'app-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the app entry as `cdk synth` runs it: context in CDK_CONTEXT_JSON, output to a scratch dir. */
function synthApp(context: Record<string, unknown>) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bin/app.ts'], {
    cwd: root,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: join(dir, 'out') },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

const noTrace = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('the CDK app configuration file', { timeout: 90_000 }, () => {
  it('names the missing file and how to name another, with no raw ENOENT trace', () => {
    const missing = join(dir, 'no-such-config.json');
    const r = synthApp({ [CONFIG_CONTEXT_KEY]: missing });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Cannot read configuration file ${missing}: no such file`);
    expect(r.stderr).toContain(`--context ${CONFIG_CONTEXT_KEY}=`);
    expect(r.stderr).not.toContain('LIFECYCLE_CONFIG_FILE');
    expect(r.stderr).not.toContain('errno');
    noTrace(r.stderr);
  });

  it('says a malformed file is not valid JSON without echoing what it holds', () => {
    const bad = join(dir, 'malformed.json');
    writeFileSync(bad, '{"orgId": "o",\n "atlassian": {"apiKey": "hunter2-not-for-logs"} }}');
    const r = synthApp({ [CONFIG_CONTEXT_KEY]: bad });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Invalid configuration file ${bad}: not valid JSON`);
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr).not.toContain('SyntaxError');
    noTrace(r.stderr);
  });

  it('names each invalid field of a well-formed file', () => {
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ orgId: 'o', schedules: { plan: 'cron(0 2 * * ? *)', timeZone: 7 } }));
    const r = synthApp({ [CONFIG_CONTEXT_KEY]: invalid });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Invalid configuration file ${invalid}:`);
    expect(r.stderr).toMatch(/schedules\.timeZone: .*\(got 7\)/);
    expect(r.stderr).toMatch(/approval: required field is missing/);
    noTrace(r.stderr);
  });

  it('stops `npx cdk synth --context configFile=...` with the same message and a non-zero exit', () => {
    const missing = join(dir, 'also-missing.json');
    const r = spawnSync(
      'npx',
      ['cdk', 'synth', '-q', '--context', `${CONFIG_CONTEXT_KEY}=${missing}`, '-o', join(dir, 'cdk.out')],
      {
        cwd: root,
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
        encoding: 'utf8',
        timeout: 80_000,
      },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`Cannot read configuration file ${missing}: no such file`);
    noTrace(r.stderr);
  });
});

describe('configFileOf', () => {
  const ctx = (values: Record<string, unknown>) => (key: string) => values[key];
  it('reads configFile first, then the earlier "config" key, else the committed AWS example', () => {
    expect(configFileOf(ctx({ configFile: 'a.json', config: 'b.json' }))).toBe('a.json');
    expect(configFileOf(ctx({ config: 'b.json' }))).toBe('b.json');
    expect(configFileOf(ctx({}))).toBe(DEFAULT_CONFIG_FILE);
  });
  it('refuses a context value that is not a path, naming it', () => {
    expect(() => configFileOf(ctx({ configFile: '' }))).toThrow(ConfigError);
    expect(() => configFileOf(ctx({ configFile: 3 }))).toThrow(/configFile must be a file path; got 3/);
  });
});

describe('withoutJsonExcerpt', () => {
  it("drops the excerpt of the file Node 22's JSON.parse quotes, keeping the complaint", () => {
    const node22 = `not valid JSON (Unexpected token '}', ..."hunter2" }}" is not valid JSON). Fix the syntax`;
    expect(withoutJsonExcerpt(node22)).toBe(`not valid JSON (Unexpected token '}'). Fix the syntax`);
    const node20 = 'not valid JSON (Unexpected non-whitespace character after JSON at position 31). Fix';
    expect(withoutJsonExcerpt(node20)).toBe(node20);
  });
});

describe('auditIndexesProjectAllOf', () => {
  const of = (v: unknown) => auditIndexesProjectAllOf((key) => (key === 'auditIndexesProjectAll' ? v : undefined));

  it('is true only for true or "true", false when left out or false', () => {
    expect([of(true), of('true'), of(undefined), of(false), of('false')]).toEqual([true, true, false, false, false]);
  });

  it('refuses anything else, naming the value and the fix', () => {
    for (const v of ['TRUE', '1', 1, 'yes', '']) {
      expect(() => of(v)).toThrow(ConfigError);
      expect(() => of(v)).toThrow(`must be true or false; got ${JSON.stringify(v)}`);
    }
  });
});
