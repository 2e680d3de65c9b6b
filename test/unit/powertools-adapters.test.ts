/** The Powertools adapters behind the product's ports (lambdas/wiring/powertools.ts). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MetricName, METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/wiring/observability.js';
import { powertoolsLogger, productMetrics, traced } from '../../lambdas/wiring/powertools.js';

/** Every JSON line written to stdout and stderr while `act` runs. */
async function jsonLines(act: () => void | Promise<void>): Promise<Record<string, unknown>[]> {
  const seen: string[] = [];
  const grab = (chunk: unknown) => (seen.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return seen
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

afterEach(() => vi.unstubAllEnvs());

describe('powertoolsLogger', () => {
  it('writes the port’s events as Powertools JSON lines with the service and the kept keys', async () => {
    const lines = await jsonLines(() => {
      const logger = powertoolsLogger();
      logger.log('info', 'plan.started', { accounts: 3 });
      logger.keep({ runId: 'plan-2026-11-24T02:00:00Z', proposalId: undefined });
      logger.correlate('req-1');
      logger.log('warn', 'plan.slow', { ms: 12 });
      logger.log('debug', 'not at INFO');
      logger.keep({ proposalId: 'p-1' });
      logger.keep({ proposalId: undefined });
      logger.log('info', 'next invocation');
    });
    expect(lines).toHaveLength(3);
    expect(lines[2]).not.toHaveProperty('proposalId');
    expect(lines[2]).toHaveProperty('runId');
    expect(lines[0]).toMatchObject({ level: 'INFO', message: 'plan.started', service: SERVICE_NAME, accounts: 3 });
    expect(lines[0]).not.toHaveProperty('runId');
    expect(lines[1]).toMatchObject({
      level: 'WARN',
      message: 'plan.slow',
      runId: 'plan-2026-11-24T02:00:00Z',
      correlation_id: 'req-1',
      ms: 12,
    });
    expect(lines[1]).not.toHaveProperty('proposalId');
    expect(typeof lines[1]!.timestamp).toBe('string');
  });

  it('honours POWERTOOLS_LOG_LEVEL', async () => {
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const lines = await jsonLines(() => powertoolsLogger().log('debug', 'seen at DEBUG'));
    expect(lines.map((l) => l.message)).toEqual(['seen at DEBUG']);
  });
});

describe('productMetrics', () => {
  it('flushes the counted metrics as one EMF blob in the product namespace', async () => {
    const lines = await jsonLines(() => {
      const m = productMetrics();
      m.count(MetricName.ACCOUNTS_READ, 300);
      m.count(MetricName.API_THROTTLES, 0);
      m.milliseconds(MetricName.PLAN_WALL_TIME, 1234);
      m.flush();
      m.flush();
    });
    expect(lines).toHaveLength(1);
    const emf = lines[0] as {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Metrics: { Name: string; Unit: string }[]; Dimensions: string[][] }[];
      };
    } & Record<string, unknown>;
    const [directive] = emf._aws.CloudWatchMetrics;
    expect(directive!.Namespace).toBe(METRICS_NAMESPACE);
    expect(directive!.Dimensions).toEqual([['service']]);
    expect(directive!.Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'AccountsRead', Unit: 'Count' },
        { Name: 'ApiThrottles', Unit: 'Count' },
        { Name: 'PlanWallTime', Unit: 'Milliseconds' },
      ]),
    );
    expect(emf).toMatchObject({ service: SERVICE_NAME, AccountsRead: 300, ApiThrottles: 0, PlanWallTime: 1234 });
  });
});

describe('traced', () => {
  it('returns a usable client outside Lambda (tracing is off there)', () => {
    const client = { send: async () => 'ok', middlewareStack: { add: () => undefined, remove: () => true } };
    expect(traced(client)).toBe(client);
  });
});
