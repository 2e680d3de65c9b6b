/** Finance's stores and the finish step's finance part (no chart code: every function may load this). */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AtlassianClient } from '../atlassian/index.js';
import type { Config } from '../config/index.js';
import type { BillingRule } from '../reports/billing.js';
import { ExecutionFinanceRecorder } from '../reports/executed.js';
import type { Clock } from '../shared/clock.js';
import { DynamoExecutedChanges, DynamoSeatStore } from '../store/index.js';
import { OrgAccountFacts } from './account-facts.js';

/** The Guard counting rule of the configuration. */
export const billingRuleOf = (config: Config): BillingRule => ({
  tier: config.finance.tier,
  policies: config.policies,
});

/** Snapshots and executed changes: both in the seats table. */
export function financeStores(db: DynamoDBClient, seatsTable: string) {
  return { snapshots: new DynamoSeatStore(db, seatsTable), changes: new DynamoExecutedChanges(db, seatsTable) };
}

/** The finish step's finance part: executed changes and a snapshot, with execution's own Atlassian client. */
export function executionFinanceFor(
  config: Config,
  o: {
    db: DynamoDBClient;
    seatsTable: string;
    org: Pick<AtlassianClient, 'pages' | 'policyAssignments'>;
    clock: Clock;
  },
): ExecutionFinanceRecorder {
  const { snapshots, changes } = financeStores(o.db, o.seatsTable);
  return new ExecutionFinanceRecorder(
    { store: snapshots, log: changes, accounts: new OrgAccountFacts(o.org), clock: o.clock },
    { orgId: config.orgId, topDepartments: config.finance.topDepartments, rule: billingRuleOf(config) },
  );
}
