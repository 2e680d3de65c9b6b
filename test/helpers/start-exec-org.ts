/**
 * A planned and approved proposal on a simulated org, for tests that run `lifecycle execute` as a
 * separate process: both simulators on loopback (in the test process), fresh tables in the global
 * DynamoDB Local, a configuration file pointing at them, and the environment the child needs.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { parseConfig, type Config } from '../../lambdas/config/index.js';
import { ItemState, type ProposalItem } from '../../lambdas/domain/index.js';
import { runPlan } from '../../lambdas/plan/index.js';
import { ManualClock, envSecretResolver, silentLogger } from '../../lambdas/shared/index.js';
import { DynamoExecutionStore, DynamoProposalStore, type TableNames } from '../../lambdas/store/index.js';
import { createPlanDeps, type RuntimeEnv } from '../../lambdas/wiring/index.js';
import { startAtlassianSim, type AtlassianSim, type AtlassianSimOptions } from '../sim/atlassian/index.js';
import { startGraphSim, type GraphSim } from '../sim/graph/index.js';
import type { SyntheticOrg } from '../sim/org/index.js';
import { exampleConfigJson } from './config.js';
import { startWatchingProxy, type WatchingProxy } from './start-proxy.js';
import { dynamoClient, freshTables } from './local.js';

const API_KEY = 'exec-cli-test-api-key-0001';

export interface ExecOrg {
  readonly atlassian: AtlassianSim;
  readonly graph: GraphSim;
  /** Between the configuration and the Atlassian simulator: what is in flight. */
  readonly proxy: WatchingProxy;
  readonly config: Config;
  readonly configFile: string;
  readonly tables: TableNames;
  readonly proposalId: string;
  readonly proposals: DynamoProposalStore;
  readonly executions: DynamoExecutionStore;
  /** Environment for `lifecycle execute` against this org (merge over process.env). */
  readonly childEnv: Record<string, string>;
  /** The simulator's clock is frozen while set (add-users tasks created meanwhile stay pending). */
  freezeSimClock(frozen: boolean): void;
  items(): Promise<ProposalItem[]>;
  stop(): Promise<void>;
}

/**
 * Starts the simulators, plans with `planClock` (the same instant for identical orgs gives the
 * same proposal) and approves every item as a quorum would, decided at that instant.
 */
export async function startExecOrg(
  org: SyntheticOrg,
  options: {
    planAt: number;
    editConfig?: (raw: Record<string, any>) => void;
    sim?: Partial<AtlassianSimOptions>;
  },
): Promise<ExecOrg> {
  let frozenAt: number | undefined;
  const atlassian = await startAtlassianSim({
    org,
    apiKey: API_KEY,
    clock: () => frozenAt ?? Date.now(),
    ...options.sim,
  });
  const graph = await startGraphSim({ org });
  const proxy = await startWatchingProxy(atlassian.url);
  try {
    const db = dynamoClient();
    const tables = await freshTables(db);
    const raw = exampleConfigJson();
    raw.orgId = org.orgId;
    raw.atlassian = { ...raw.atlassian, baseUrl: proxy.url, directoryId: org.directoryId };
    raw.entra = {
      ...raw.entra,
      tenantId: graph.tenantId,
      clientId: graph.clientId,
      authorityHost: graph.url,
      graphBaseUrl: graph.url,
      confluenceGroupId: org.groups.confluence,
      exclusionGroupIds: [org.groups.exclusion],
    };
    raw.policies = org.policies;
    options.editConfig?.(raw);
    const config = parseConfig(raw);
    const dir = mkdtempSync(join(tmpdir(), 'lifecycle-exec-'));
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify(raw, null, 2));

    const secretsEnv = {
      [config.atlassian.apiKey.source === 'env' ? config.atlassian.apiKey.name : 'ATLASSIAN_API_KEY']: API_KEY,
      [config.entra.clientSecret.source === 'env' ? config.entra.clientSecret.name : 'GRAPH_CLIENT_SECRET']:
        graph.clientSecret,
    };
    const env: RuntimeEnv = { tables, dynamoEndpoint: inject('dynamoEndpoint'), region: 'us-east-1' };
    const clock = new ManualClock(options.planAt);
    const deps = await createPlanDeps({
      config,
      env,
      clock,
      logger: silentLogger,
      secrets: envSecretResolver(secretsEnv),
      graphCa: graph.ca,
      clients: { db, ses: undefined as never, secrets: undefined as never },
    });
    const result = await runPlan(deps, { runId: `exec-cli-${options.planAt}` });
    if (!result.proposalId || result.status !== 'proposed')
      throw new Error(`the plan did not propose: ${result.status}`);
    const proposalId = result.proposalId;
    const proposals = new DynamoProposalStore(db, tables.state, clock);
    const items = async () => {
      const out: ProposalItem[] = [];
      for await (const i of proposals.items(proposalId)) out.push(i);
      return out;
    };
    for (const i of await items())
      if (i.state !== ItemState.APPROVED)
        await proposals.moveItem(proposalId, i.accountId, ItemState.APPROVED, { decidedBy: 'test' });
    await proposals.setStatus(proposalId, ['READY'], 'APPROVED', {
      decidedAt: new Date(options.planAt).toISOString(),
      decidedBy: 'approver@example.com',
    });
    return {
      atlassian,
      graph,
      proxy,
      config,
      configFile,
      tables,
      proposalId,
      proposals,
      executions: new DynamoExecutionStore(db, tables.state, clock),
      childEnv: {
        ...secretsEnv,
        LIFECYCLE_TABLE_STATE: tables.state,
        LIFECYCLE_TABLE_AUDIT: tables.audit,
        LIFECYCLE_TABLE_SEATS: tables.seats,
        LIFECYCLE_DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        LIFECYCLE_SES_ENDPOINT: inject('sesEndpoint'),
        LIFECYCLE_GRAPH_CA: graph.ca,
      },
      freezeSimClock(frozen) {
        frozenAt = frozen ? Date.now() : undefined;
      },
      items,
      async stop() {
        db.destroy();
        await Promise.all([atlassian.stop(), graph.stop(), proxy.stop()]);
      },
    };
  } catch (err) {
    await Promise.all([atlassian.stop(), graph.stop(), proxy.stop()]);
    throw err;
  }
}
