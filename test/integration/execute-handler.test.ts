// The execute step Lambda handler as deployed: bundled by esbuild with the stack's options, imported,
// invoked with step inputs as the state machine passes them, against DynamoDB Local.
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUNDLE } from '../../lib/bundle-options.js';
import { startSimulatedOrg, type SimulatedOrg } from '../../local/simulated-org.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import { systemClock } from '../../lambdas/shared/index.js';
import { DynamoExecutionStore, DynamoProposalStore } from '../../lambdas/store/index.js';
import { makeConfig } from '../helpers/config.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

type Step = (event: unknown, context?: { getRemainingTimeInMillis(): number }) => Promise<Record<string, unknown>>;

async function bundledStep(): Promise<Step> {
  const out = fileURLToPath(new URL('../artifacts/execute-handler/', import.meta.url));
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('../../lambdas/handlers/execute.ts', import.meta.url))],
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
  return ((await import(pathToFileURL(`${out}index.mjs`).href)) as { step: Step }).step;
}

const fifteenMinutes = { getRemainingTimeInMillis: () => 900_000 };

describe('execute step handler, bundled', () => {
  let sims: SimulatedOrg;
  let step: Step;
  let proposals: DynamoProposalStore;
  let executions: DynamoExecutionStore;
  const saved = { ...process.env };
  const id = 'exec-handler-2026-11-24';

  beforeAll(async () => {
    sims = await startSimulatedOrg(
      makeConfig((c) => (c.execution = { warnBeforeDays: 0, chunkSize: 2 })),
      { users: 20, seed: 5 },
    );
    const db = dynamoClient();
    const tables = await freshTables(db);
    Object.assign(process.env, sims.secretsEnv, {
      LIFECYCLE_CONFIG: JSON.stringify(sims.config),
      LIFECYCLE_TABLE_STATE: tables.state,
      LIFECYCLE_TABLE_AUDIT: tables.audit,
      LIFECYCLE_TABLE_SEATS: tables.seats,
      LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
      LIFECYCLE_GRAPH_CA: sims.graph.ca,
    });
    proposals = new DynamoProposalStore(db, tables.state, systemClock);
    executions = new DynamoExecutionStore(db, tables.state, systemClock);
    // An approved proposal of three items: the handler's prepare step splits them into chunks of 2.
    const now = new Date().toISOString();
    await proposals.create({
      proposalId: id,
      runId: id,
      orgId: sims.config.orgId,
      status: 'BUILDING',
      createdAt: now,
      itemCount: 3,
    });
    const items: ProposalItem[] = ['acc-1', 'acc-2', 'acc-3'].map((accountId) => ({
      proposalId: id,
      accountId,
      email: `${accountId}@example.com`,
      action: 'DEACTIVATE',
      reason: 'STALE',
      summary: 'inactive for 120 days',
      evidence: {},
      state: 'PROPOSED',
      updatedAt: now,
    }));
    await proposals.putItems(items);
    await proposals.setStatus(id, ['BUILDING'], 'READY');
    for (const i of items) await proposals.moveItem(id, i.accountId, 'APPROVED', { decidedBy: 'approver@example.com' });
    await proposals.setStatus(id, ['READY'], 'APPROVED', { decidedAt: now, decidedBy: 'approver@example.com' });
    step = await bundledStep();
  }, 900_000);

  afterAll(async () => {
    process.env = saved;
    await sims?.stop();
  });

  it('prepares an approved proposal once: chunks stored, a second call resumes them', async () => {
    const first = await step({ step: 'prepare', proposalId: id, startedBy: 'system:approval' }, fifteenMinutes);
    expect(first).toEqual({ proposalId: id, round: 'main', chunks: [0, 1], itemCount: 3, resumed: false });
    expect(await executions.get(id, 'main')).toMatchObject({
      chunkCount: 2,
      itemCount: 3,
      startedBy: 'system:approval',
    });
    const again = await step({ step: 'prepare', proposalId: id, startedBy: 'system:approval' }, fifteenMinutes);
    expect(again).toEqual({ ...first, resumed: true });
  });

  it('gives the core the invocation deadline: a chunk with too little time left asks for more and acts on nobody', async () => {
    const report = await step(
      { step: 'chunk', proposalId: id, round: 'main', index: 0 },
      { getRemainingTimeInMillis: () => 30_000 },
    );
    expect(report).toMatchObject({ more: true, settled: 0 });
    expect(sims.atlassian.mutations()).toEqual([]);
    const items = await Promise.all(['acc-1', 'acc-2'].map((a) => proposals.item(id, a)));
    expect(items.map((i) => i?.state)).toEqual(['APPROVED', 'APPROVED']);
  });

  it('lets errors through with their names (what a Retry or Catch of the state machine matches)', async () => {
    await expect(step({ step: 'prepare', proposalId: 'no-such-proposal' }, fifteenMinutes)).rejects.toMatchObject({
      name: 'NotExecutableError',
    });
    await expect(
      step({ step: 'chunk', proposalId: id, round: 'later', index: 0 }, fifteenMinutes),
    ).rejects.toMatchObject({ name: 'TypeError', message: expect.stringMatching(/round must be one of/) });
  });
});
