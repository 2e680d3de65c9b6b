// The plan Lambda handler as deployed: bundled by esbuild with the stack's options, imported, invoked.
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BUNDLE } from '../../lib/bundle-options.js';
import { startSimulatedOrg, type SimulatedOrg } from '../../local/simulated-org.js';
import { DynamoProposalStore } from '../../lambdas/store/index.js';
import { systemClock } from '../../lambdas/shared/index.js';
import { makeConfig } from '../helpers/config.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

describe('plan handler, bundled', () => {
  let sims: SimulatedOrg;
  const saved = { ...process.env };
  beforeAll(async () => {
    sims = await startSimulatedOrg(makeConfig((c) => (c.caps = { maxActionsPerRun: 1000, maxPercentOfOrg: 100 })), { users: 300, seed: 3 });
  });
  afterAll(async () => {
    process.env = saved;
    await sims.stop();
  });

  it('plans from a scheduler event and writes a READY proposal', async () => {
    const out = fileURLToPath(new URL('../artifacts/plan-handler/', import.meta.url));
    mkdirSync(out, { recursive: true });
    await build({
      entryPoints: [fileURLToPath(new URL('../../lambdas/handlers/plan.ts', import.meta.url))],
      outfile: `${out}index.mjs`, bundle: true, platform: 'node', format: 'esm',
      target: BUNDLE.target, banner: { js: BUNDLE.banner }, mainFields: [...BUNDLE.mainFields], external: [...BUNDLE.external], logLevel: 'silent',
    });
    const db = dynamoClient();
    const tables = await freshTables(db);
    Object.assign(process.env, sims.secretsEnv, {
      LIFECYCLE_CONFIG: JSON.stringify(sims.config),
      LIFECYCLE_TABLE_STATE: tables.state, LIFECYCLE_TABLE_AUDIT: tables.audit, LIFECYCLE_TABLE_SEATS: tables.seats,
      LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    });
    // The Graph simulator's certificate is self-signed: the deployed function trusts public CAs only,
    // so the bundle is given the simulator's CA the way a local run is (TLS verification stays on).
    process.env.LIFECYCLE_GRAPH_CA = sims.graph.ca;
    const mod = (await import(pathToFileURL(`${out}index.mjs`).href)) as { handler: (e: unknown, c?: unknown) => Promise<{ status: string; proposalId?: string; itemCount?: number }> };
    const result = await mod.handler({ runId: 'plan-2026-11-24T02:00:00Z' }, { getRemainingTimeInMillis: () => 900_000 });
    expect(result.status).toBe('proposed');
    const meta = await new DynamoProposalStore(db, tables.state, systemClock).get('plan-2026-11-24T02:00:00Z');
    expect(meta).toMatchObject({ status: 'READY', runId: 'plan-2026-11-24T02:00:00Z' });
    expect(meta?.itemCount).toBeGreaterThan(10);
    const again = await mod.handler({ runId: 'plan-2026-11-24T02:00:00Z' });
    expect(again.status).toBe('duplicate');
  });
});
