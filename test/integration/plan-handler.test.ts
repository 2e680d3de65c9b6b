// The plan Lambda handler as deployed: bundled by esbuild with the stack's options, imported, invoked.
import { mkdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { BUNDLE } from '../../lib/bundle-options.js';
import { startSimulatedOrg, type SimulatedOrg } from '../../local/simulated-org.js';
import { DynamoProposalStore } from '../../lambdas/store/index.js';
import { systemClock } from '../../lambdas/shared/index.js';
import { executionName } from '../../lambdas/wiring/sfn-starter.js';
import { makeConfig } from '../helpers/config.js';
import { dynamoClient, freshTables, outboxFor } from '../helpers/local.js';

/** Bundles a handler into its own folder (`variant` gives a fresh module, so a fresh environment is read). */
async function bundle(name: string, variant = ''): Promise<string> {
  const out = fileURLToPath(new URL(`../artifacts/${name}-handler${variant}/`, import.meta.url));
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL(`../../lambdas/handlers/${name}.ts`, import.meta.url))],
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

describe('plan and approval handlers, bundled', () => {
  let sims: SimulatedOrg;
  const saved = { ...process.env };
  beforeAll(async () => {
    sims = await startSimulatedOrg(
      makeConfig((c) => (c.caps = { maxActionsPerRun: 1000, maxPercentOfOrg: 75 })),
      { users: 300, seed: 3 },
    );
  });
  afterAll(async () => {
    process.env = saved;
    await sims.stop();
  });

  it('plans from a scheduler event, writes a READY proposal and mails it to the approvers', async () => {
    const out = await bundle('plan');
    const db = dynamoClient();
    const tables = await freshTables(db);
    Object.assign(process.env, sims.secretsEnv, {
      LIFECYCLE_CONFIG: JSON.stringify(sims.config),
      LIFECYCLE_TABLE_STATE: tables.state,
      LIFECYCLE_TABLE_AUDIT: tables.audit,
      LIFECYCLE_TABLE_SEATS: tables.seats,
      LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
      LIFECYCLE_REVIEW_BASE_URL: 'https://review.example.test',
    });
    // The Graph simulator's certificate is self-signed: the deployed function trusts public CAs only,
    // so the bundle is given the simulator's CA the way a local run is (TLS verification stays on).
    process.env.LIFECYCLE_GRAPH_CA = sims.graph.ca;
    const mod = (await import(pathToFileURL(`${out}index.mjs`).href)) as {
      handler: (e: unknown, c?: unknown) => Promise<{ status: string; proposalId?: string; itemCount?: number }>;
    };
    const result = await mod.handler(
      { runId: 'plan-2026-11-24T02:00:00Z' },
      { getRemainingTimeInMillis: () => 900_000 },
    );
    expect(result.status).toBe('proposed');
    const meta = await new DynamoProposalStore(db, tables.state, systemClock).get('plan-2026-11-24T02:00:00Z');
    expect(meta).toMatchObject({ status: 'READY', runId: 'plan-2026-11-24T02:00:00Z' });
    expect(meta?.itemCount).toBeGreaterThan(10);
    // The emulator is shared with test files running in parallel: pick this proposal's mails.
    const mailsTo = async (approver: string) =>
      (await outboxFor(approver)).filter(
        (m) =>
          m.subject.includes('plan-2026-11-24T02:00:00Z') || (m.body.text ?? '').includes('plan-2026-11-24T02:00:00Z'),
      );
    for (const approver of sims.config.approval.approvers) {
      const mails = await mailsTo(approver);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.body.text).toContain(
        `https://review.example.test/review/${encodeURIComponent('plan-2026-11-24T02:00:00Z')}?t=`,
      );
    }
    const again = await mod.handler({ runId: 'plan-2026-11-24T02:00:00Z' });
    expect(again.status).toBe('duplicate');

    // The review link from the mail, served by the bundled approval handler behind a Function URL.
    const link = new URL(
      /https:\/\/review\.example\.test\/review\/\S+/.exec(
        (await mailsTo(sims.config.approval.approvers[0]!))[0]!.body.text!,
      )![0],
    );
    const approvalOut = await bundle('approval');
    const approval = (await import(pathToFileURL(`${approvalOut}index.mjs`).href)) as {
      handler: (e: unknown) => Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;
    };
    const get = (query: string) =>
      approval.handler({
        rawPath: link.pathname,
        rawQueryString: query,
        headers: {},
        requestContext: { http: { method: 'GET' }, domainName: 'review.example.test' },
      });
    const page = await get(link.search.slice(1));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('plan-2026-11-24T02:00:00Z');
    expect(page.headers['content-security-policy']).toBeDefined();
    const forged = await get('t=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(forged.statusCode).toBe(404);
    expect(forged.body).not.toContain('plan-2026-11-24T02:00:00Z');
  });
  it('starts the auto round on the state machine when the proposal has items approved by configuration', async () => {
    // Step Functions has no local emulator among the real parts; a loopback endpoint records the
    // StartExecution calls the SDK makes (AWS_ENDPOINT_URL_SFN is the SDK's own endpoint override).
    const calls: { target: string; body: Record<string, unknown> }[] = [];
    const sfn = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        calls.push({ target: String(req.headers['x-amz-target']), body: JSON.parse(body) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:x:y', startDate: 0 }));
      });
    });
    await new Promise<void>((r) => sfn.listen(0, '127.0.0.1', r));
    try {
      const out = await bundle('plan', '-auto');
      const db = dynamoClient();
      const tables = await freshTables(db);
      const config = { ...sims.config, approval: { ...sims.config.approval, autoApprove: ['MOVE_TO_NONBILLABLE'] } };
      const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:lifecycle-execution';
      Object.assign(process.env, sims.secretsEnv, {
        LIFECYCLE_CONFIG: JSON.stringify(config),
        LIFECYCLE_TABLE_STATE: tables.state,
        LIFECYCLE_TABLE_AUDIT: tables.audit,
        LIFECYCLE_TABLE_SEATS: tables.seats,
        LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
        LIFECYCLE_REVIEW_BASE_URL: 'https://review.example.test',
        LIFECYCLE_GRAPH_CA: sims.graph.ca,
        LIFECYCLE_EXECUTION_STATE_MACHINE_ARN: arn,
        AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(sfn.address() as AddressInfo).port}`,
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
      });
      const mod = (await import(pathToFileURL(`${out}index.mjs`).href)) as {
        handler: (e: unknown, c?: unknown) => Promise<{ status: string; proposalId?: string }>;
      };
      const runId = 'plan-2026-11-25T02:00:00Z';
      const result = await mod.handler({ runId }, { getRemainingTimeInMillis: () => 900_000 });
      expect(result.status).toBe('proposed');
      const meta = await new DynamoProposalStore(db, tables.state, systemClock).get(runId);
      expect(meta?.autoApproved).toBeGreaterThan(0);
      expect(calls).toHaveLength(1);
      expect(calls[0]!.target).toBe('AWSStepFunctions.StartExecution');
      expect(calls[0]!.body).toMatchObject({ stateMachineArn: arn, name: executionName(runId, 'auto') });
      expect(JSON.parse(calls[0]!.body.input as string)).toMatchObject({ proposalId: runId });
    } finally {
      sfn.close();
    }
  });
});
