import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig } from '../../lambdas/config/index.js';
import { scheduleExpressionProblem } from '../../lambdas/config/schedule-expression.js';
import { EXAMPLE_CONFIG_PATH, exampleConfigJson } from '../helpers/config.js';

function refusal(edit: (raw: Record<string, any>) => void): ConfigError {
  const raw = exampleConfigJson();
  edit(raw);
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration ranges and hard ceilings', () => {
  it.each([
    ['caps.maxActionsPerRun', (r: any) => (r.caps.maxActionsPerRun = 1e12), /at most 10000: a hard ceiling/],
    ['caps.maxPercentOfOrg', (r: any) => (r.caps.maxPercentOfOrg = 100), /at most 75: a hard ceiling/],
    ['caps.minActionsFloor', (r: any) => (r.caps.minActionsFloor = 5000), /at most 100: a hard ceiling/],
    ['deactivation.staleAfterDays', (r: any) => (r.deactivation.staleAfterDays = 1e9), /at most 1095 days/],
    ['deactivation.newAccountGraceDays', (r: any) => (r.deactivation.newAccountGraceDays = 4000), /at most 365/],
    ['approval.quorum', (r: any) => (r.approval.quorum = 11), /at most 10/],
  ])('refuses %s past its ceiling, naming it', (field, edit, message) => {
    const err = refusal(edit);
    expect(err.problems.map((p) => p.field)).toContain(field);
    expect(err.problems.find((p) => p.field === field)?.message).toMatch(message);
  });

  it('accepts each ceiling itself', () => {
    const raw = exampleConfigJson();
    raw.caps = { maxActionsPerRun: 10_000, maxPercentOfOrg: 75, minActionsFloor: 100 };
    raw.deactivation.staleAfterDays = 1095;
    expect(parseConfig(raw).caps.maxPercentOfOrg).toBe(75);
  });

  it('reports 1e400 as a number out of range, not as null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-limits-'));
    const file = join(dir, 'c.json');
    const text = readFileSync(EXAMPLE_CONFIG_PATH, 'utf8').replace('"staleAfterDays": 90', '"staleAfterDays": 1e400');
    writeFileSync(file, text);
    const err = (() => {
      try {
        loadConfigFile(file);
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err.message).toContain('deactivation.staleAfterDays: a number too large to represent');
    expect(err.message).not.toContain('null');
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-limits-'));
    const file = join(dir, 'bom.json');
    writeFileSync(file, `\uFEFF${readFileSync(EXAMPLE_CONFIG_PATH, 'utf8')}`);
    expect(loadConfigFile(file).deactivation.staleAfterDays).toBe(90);
  });
});

describe('EventBridge Scheduler expressions', () => {
  it.each([
    'cron(0 2 * * ? *)',
    'cron(0 7 1 * ? *)',
    'cron(15 10 ? * 6L 2026-2030)',
    'cron(0/15 * ? * MON-FRI *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 JAN,JUL ? *)',
    'cron(0 9 LW * ? *)'.replace('LW', 'L'),
    'cron(0 9 3W * ? *)',
    'cron(0 9 ? * 3#2 *)',
    'cron(5,35 14 * * ? *)',
    'rate(1 day)',
    'rate(12 hours)',
    'rate(5 minutes)',
  ])('accepts %s', (expression) => {
    expect(scheduleExpressionProblem(expression)).toBeUndefined();
  });

  it.each([
    ['cron(0 25 * * ? *)', 'hours field "25"'],
    ['cron(a b c d e f)', 'minutes field "a"'],
    ['cron(60 2 * * ? *)', 'minutes field "60"'],
    ['cron(0 2 32 * ? *)', 'day-of-month field "32"'],
    ['cron(0 2 * 13 ? *)', 'month field "13"'],
    ['cron(0 2 ? * 8 *)', 'day-of-week field "8"'],
    ['cron(0 2 * * ? 2200)', 'year field "2200"'],
    ['cron(0 2 * * * *)', 'must be ?'],
    ['cron(0 2 ? * ? *)', 'must be ?'],
    ['cron(0 2 * * ?)', 'six fields'],
    ['cron(0 ? * * 1 *)', 'hours field "?"'],
    ['cron(0 2 ? * 3#1,6#3 *)', 'one expression only'],
    ['cron(0 2 ? * 3#6 *)', 'day-of-week field "3#6"'],
    ['cron(0/0 2 * * ? *)', 'increment'],
    ['cron(0 2 L * 2 *)', 'must be ?'],
    ['rate(0 hours)', 'rate value "0"'],
    ['rate(1 hours)', 'rate unit "hours"'],
    ['rate(2 weeks)', 'rate unit "weeks"'],
    ['at(2026-01-01T00:00:00)', 'expected cron('],
    ['0 2 * * *', 'expected cron('],
  ])('refuses %s naming the field', (expression, problem) => {
    expect(scheduleExpressionProblem(expression)).toContain(problem);
  });

  it('refuses a bad schedule in the configuration, naming the setting', () => {
    const err = refusal((r) => (r.schedules = { plan: 'cron(0 25 * * ? *)' }));
    expect(err.problems[0]).toMatchObject({ field: 'schedules.plan', value: '"cron(0 25 * * ? *)"' });
    expect(err.problems[0]?.message).toContain('hours field "25": expected 0-23');
  });
});
