import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { AtlassianClient } from '../../lambdas/atlassian/index.js';
import type { Config } from '../../lambdas/config/index.js';
import { createEntraDirectory, DirectoryScope } from '../../lambdas/entra/index.js';
import type { PlanDeps } from '../../lambdas/plan/index.js';
import { ManualClock, memoryLogger } from '../../lambdas/shared/index.js';
import { type ProposalMeta } from '../../lambdas/domain/index.js';
import {
  DynamoAuditLog,
  DynamoLockStore,
  DynamoProposalStore,
  DynamoRunStore,
  DynamoSeatStore,
  type TableNames,
} from '../../lambdas/store/index.js';
import { startAtlassianSim, type AtlassianSim, type AtlassianSimOptions } from '../sim/atlassian/index.js';
import { startGraphSim, type GraphSim } from '../sim/graph/index.js';
import type { SyntheticOrg } from '../sim/org/index.js';
import { directoryOptions } from './graph.js';
import { dynamoClient, freshTables } from './local.js';

const KEY = 'plan-test-api-key-0001';

export interface PlanWorld {
  readonly deps: PlanDeps;
  readonly atlassian: AtlassianSim;
  readonly graph: GraphSim;
  readonly tables: TableNames;
  readonly clock: ManualClock;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly handedOff: ProposalMeta[];
  readonly alerts: { runId: string; kind: string; reasons: readonly string[] }[];
  readonly db: ReturnType<typeof dynamoClient>;
  /** Ids of every proposal stored for the org. */
  proposalIds(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The plan's real parts: both simulators on loopback and fresh tables in DynamoDB Local. */
export async function planWorld(
  org: SyntheticOrg,
  config: Config,
  sim: Partial<AtlassianSimOptions> = {},
): Promise<PlanWorld> {
  const clock = new ManualClock(Date.parse('2026-11-01T02:00:00Z'));
  const atlassian = await startAtlassianSim({ org, apiKey: KEY, clock: () => clock.now(), ...sim });
  const graph = await startGraphSim({ org });
  const db = dynamoClient();
  const tables = await freshTables(db);
  const logger = memoryLogger();
  const handedOff: ProposalMeta[] = [];
  const alerts: PlanWorld['alerts'] = [];
  const deps: PlanDeps = {
    config,
    clock,
    logger,
    org: new AtlassianClient({
      baseUrl: atlassian.url,
      apiKey: KEY,
      orgId: org.orgId,
      clock,
      logger,
      directoryId: org.directoryId,
    }),
    entra: createEntraDirectory(directoryOptions(graph, org, { scope: DirectoryScope.ALL_USERS })),
    proposals: new DynamoProposalStore(db, tables.state, clock),
    audit: new DynamoAuditLog(db, tables.audit, clock),
    runs: new DynamoRunStore(db, tables.state, tables.audit),
    locks: new DynamoLockStore(db, tables.state, clock),
    seats: new DynamoSeatStore(db, tables.seats),
    // Stands for the approval step: records the proposal and marks it sent, as sendProposal does.
    handoff: async (p) => {
      handedOff.push(p);
      await deps.proposals.setStatus(p.proposalId, ['READY'], 'READY', { sentAt: new Date(clock.now()).toISOString() });
    },
    alert: async (a) => void alerts.push(a),
  };
  return {
    deps,
    atlassian,
    graph,
    tables,
    clock,
    logger,
    handedOff,
    alerts,
    db,
    async proposalIds() {
      const res = await db.send(
        new QueryCommand({
          TableName: tables.state,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': { S: `PROPOSALS#${config.orgId}` } },
        }),
      );
      return (res.Items ?? []).map((i) => String(i.proposalId?.S));
    },
    async stop() {
      await Promise.all([atlassian.stop(), graph.stop()]);
    },
  };
}
