import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, loadConfigFromEnv, parseConfig } from '../../lambdas/config/index.js';
import { EXAMPLE_CONFIG_PATH, exampleConfigJson } from '../helpers/config.js';

function problemsOf(edit: (raw: Record<string, any>) => void): ConfigError {
  const raw = exampleConfigJson();
  edit(raw);
  try {
    parseConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('loads the committed example with defaults resolved', () => {
    const config = loadConfigFile(EXAMPLE_CONFIG_PATH);
    expect(config.deactivation).toMatchObject({ staleAfterDays: 90, newAccountGraceDays: 30, mode: 'disable' });
    expect(config.approval.autoApprove).toEqual(['MOVE_TO_BILLABLE']);
    expect(config.atlassian.apiKey).toEqual({ source: 'env', name: 'ATLASSIAN_API_KEY' });
  });

  it('fills documented defaults for optional sections', () => {
    const raw = exampleConfigJson();
    delete raw.caps;
    delete raw.schedules;
    delete raw.approval.tokenLifetimeHours;
    const config = parseConfig(raw);
    expect(config.caps).toEqual({ maxActionsPerRun: 200, maxPercentOfOrg: 5, minActionsFloor: 10 });
    expect(config.schedules.timeZone).toBe('UTC');
    expect(config.approval.tokenLifetimeHours).toBe(72);
  });

  it('names a missing field', () => {
    const err = problemsOf((r) => delete r.policies.billableId);
    expect(err.problems).toEqual([expect.objectContaining({ field: 'policies.billableId', value: '(missing)' })]);
    expect(err.message).toContain('policies.billableId: required field is missing');
  });

  it('names a field of the wrong type and shows the value', () => {
    const err = problemsOf((r) => (r.caps.maxActionsPerRun = 'ten'));
    expect(err.problems[0]).toMatchObject({ field: 'caps.maxActionsPerRun', value: '"ten"' });
    expect(err.message).toMatch(/caps\.maxActionsPerRun: .*expected number.*\(got "ten"\)/);
  });

  it('refuses negative days with the fix', () => {
    const err = problemsOf((r) => (r.deactivation.staleAfterDays = -5));
    expect(err.message).toContain('deactivation.staleAfterDays: expected at least 1 day(s) (got -5)');
    const grace = problemsOf((r) => (r.deactivation.newAccountGraceDays = -1));
    expect(grace.problems[0]?.field).toBe('deactivation.newAccountGraceDays');
  });

  it('refuses an unknown action kind and lists the known ones', () => {
    const err = problemsOf((r) => (r.approval.autoApprove = ['MOVE_TO_BILLABLE', 'DELETE_USER']));
    expect(err.problems[0]).toMatchObject({ field: 'approval.autoApprove.1', value: '"DELETE_USER"' });
    expect(err.message).toContain('expected one of DEACTIVATE, MOVE_TO_NONBILLABLE, MOVE_TO_BILLABLE');
  });

  it('refuses a malformed email wherever one is expected', () => {
    expect(problemsOf((r) => (r.approval.approvers = ['it-admin.example.com'])).problems[0]?.field).toBe(
      'approval.approvers.0',
    );
    expect(problemsOf((r) => (r.breakGlass[1].email = 'nobody@')).problems[0]?.field).toBe('breakGlass.1.email');
    expect(problemsOf((r) => (r.finance.recipients = ['finance'])).problems[0]?.field).toBe('finance.recipients.0');
  });

  it('refuses finance settings out of range, naming the field and the fix, and defaults the rest', () => {
    const day = problemsOf((r) => (r.finance.billingDay = 31)).problems[0];
    expect(day).toMatchObject({ field: 'finance.billingDay', value: '31' });
    expect(day?.message).toContain('29-31 do not exist in every month');
    const tier = problemsOf((r) => (r.finance.tier = 'enterprise')).problems[0];
    expect(tier).toMatchObject({ field: 'finance.tier', value: '"enterprise"' });
    expect(tier?.message).toContain('"standard" or "premium"');
    expect(problemsOf((r) => (r.finance.timeZone = 'Mars/Olympus')).problems[0]?.field).toBe('finance.timeZone');
    const raw = exampleConfigJson();
    raw.finance = { seatPrice: 3, currency: 'EUR' };
    expect(parseConfig(raw).finance).toMatchObject({
      tier: 'standard',
      billingDay: 1,
      timeZone: 'UTC',
      recipients: [],
    });
  });

  it('refuses a misspelt field instead of silently ignoring it', () => {
    const err = problemsOf((r) => {
      r.deactivation.staleAfterDay = 30;
    });
    expect(err.problems[0]).toMatchObject({ field: 'deactivation', value: 'staleAfterDay' });
  });

  it('reports every bad field at once', () => {
    const err = problemsOf((r) => {
      r.orgId = '';
      r.schedules.timeZone = 'Mars/Olympus';
      r.finance.currency = 'dollars';
    });
    expect(err.problems.map((p) => p.field).sort()).toEqual(['finance.currency', 'orgId', 'schedules.timeZone']);
  });

  it('refuses the same policy as billable and nonbillable, a quorum above the approvers, and no break-glass account', () => {
    expect(problemsOf((r) => (r.policies.nonbillableId = r.policies.billableId)).problems[0]?.field).toBe(
      'policies.nonbillableId',
    );
    expect(problemsOf((r) => (r.approval.quorum = 3)).problems[0]?.field).toBe('approval.quorum');
    expect(problemsOf((r) => (r.breakGlass = [])).problems[0]?.field).toBe('breakGlass');
    expect(problemsOf((r) => (r.approval.approvers = ['a@example.com', 'A@Example.com'])).problems[0]?.field).toBe(
      'approval.approvers',
    );
  });

  it('refuses plain http to anything but loopback', () => {
    expect(problemsOf((r) => (r.atlassian.baseUrl = 'http://api.example.com')).problems[0]?.field).toBe(
      'atlassian.baseUrl',
    );
  });

  it('never echoes a value from a field that looks like a secret', () => {
    const err = problemsOf((r) => (r.entra.clientSecret = 'xyz-real-secret-value'));
    expect(err.message).not.toContain('xyz-real-secret-value');
  });

  it('explains malformed JSON, a missing file and a missing configuration', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"orgId": ');
    expect(() => loadConfigFile(bad)).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'nope.json'))).toThrow(/Cannot read configuration file .*ENOENT/);
    expect(() => loadConfigFromEnv({})).toThrow(/set LIFECYCLE_CONFIG/);
    expect(loadConfigFromEnv({ LIFECYCLE_CONFIG_FILE: EXAMPLE_CONFIG_PATH }).orgId).toBeTruthy();
  });
});
