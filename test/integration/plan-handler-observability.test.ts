/**
 * The bundled plan handler's Powertools output (issue 11): against the local stack (DynamoDB
 * Local, the SES v2 emulator, the Atlassian and Graph simulators), a plan run writes Powertools
 * JSON log lines that carry the run id, and one EMF metrics blob with the run's counts.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { BUNDLE } from '../../lib/bundle-options.js';
import { startSimulatedOrg, type SimulatedOrg } from '../../local/simulated-org.js';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../lambdas/wiring/observability.js';
import { makeConfig } from '../helpers/config.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

async function bundlePlan(): Promise<string> {
  const out = fileURLToPath(new URL('../artifacts/plan-handler-observability/', import.meta.url));
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('../../lambdas/handlers/plan.ts', import.meta.url))],
    outfile: `${out}index.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE.target,
    banner: { js: BUNDLE.banner },
    mainFields: [...BUNDLE.mainFields],
    external: [...BUNDLE.external],
    logLevel: 'silent',
  });
  return out;
}

describe('plan handler observability, bundled', { timeout: 240_000 }, () => {
  let sims: SimulatedOrg;
  const saved = { ...process.env };
  beforeAll(async () => {
    sims = await startSimulatedOrg(
      makeConfig((c) => (c.caps = { maxActionsPerRun: 1000, maxPercentOfOrg: 75 })),
      { users: 200, seed: 11 },
    );
  });
  afterAll(async () => {
    process.env = saved;
    await sims.stop();
  });

  it('logs Powertools JSON lines with the run id and writes one EMF blob of the run’s metrics', async () => {
    const out = await bundlePlan();
    const tables = await freshTables(dynamoClient());
    Object.assign(process.env, sims.secretsEnv, {
      LIFECYCLE_CONFIG: JSON.stringify(sims.config),
      LIFECYCLE_TABLE_STATE: tables.state,
      LIFECYCLE_TABLE_AUDIT: tables.audit,
      LIFECYCLE_TABLE_SEATS: tables.seats,
      LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
      LIFECYCLE_REVIEW_BASE_URL: 'https://review.example.test',
      LIFECYCLE_GRAPH_CA: sims.graph.ca,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    const written: string[] = [];
    const grab = (chunk: unknown) => (written.push(String(chunk)), true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
    let result: { status: string; proposalId?: string };
    const runId = 'plan-2026-11-25T02:00:00Z';
    try {
      const mod = (await import(pathToFileURL(`${out}index.mjs`).href)) as {
        handler: (e: unknown, c?: unknown) => Promise<{ status: string; proposalId?: string }>;
      };
      result = await mod.handler({ runId }, { getRemainingTimeInMillis: () => 900_000, awsRequestId: 'req-obs-1' });
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect(result.status).toBe('proposed');
    const lines = written
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

    const logs = lines.filter((l) => typeof l.message === 'string' && l.level);
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).toMatchObject({ service: SERVICE_NAME, runId, correlation_id: 'req-obs-1' });
      expect(typeof line.timestamp).toBe('string');
    }
    // The API key and the Graph secret never reach a log line.
    for (const secret of Object.values(sims.secretsEnv)) expect(written.join('')).not.toContain(secret);

    const emf = lines.filter((l) => '_aws' in l);
    expect(emf).toHaveLength(1);
    const blob = emf[0] as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };
    expect(blob._aws.CloudWatchMetrics[0]!.Namespace).toBe(METRICS_NAMESPACE);
    expect(blob._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service']]);
    expect(blob._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name).sort()).toEqual(
      ['AccountsRead', 'ApiRequests', 'ApiThrottles', 'ItemsProposed', 'PlanRuns', 'PlanWallTime'].sort(),
    );
    expect(blob).toMatchObject({ service: SERVICE_NAME, PlanRuns: 1, ApiThrottles: 0 });
    expect(blob.AccountsRead).toBeGreaterThanOrEqual(150);
    expect(blob.ItemsProposed).toBeGreaterThan(0);
    expect(blob.ApiRequests).toBeGreaterThan(0);
  });
});
