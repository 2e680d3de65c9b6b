/**
 * The monthly AWS bill from the measured counts: a nightly plan (30 a month), a weekly execution and
 * the monthly report, for the org sizes the plan was measured at. Prices are us-east-1 list prices,
 * looked up on the date in PRICES_AS_OF, each with the page it was read on; free tiers are ignored
 * (the bill is what it would be without them). Everything not measured is an assumption, named.
 */
export const PRICES_AS_OF = '2026-12-02';

export const PRICES = {
  lambdaArmGbSecond: { usd: 0.0000133334, source: 'https://aws.amazon.com/lambda/pricing/ (arm64, first tier)' },
  lambdaX86GbSecond: { usd: 0.0000166667, source: 'https://aws.amazon.com/lambda/pricing/ (x86, first tier)' },
  lambdaRequest: { usd: 0.2 / 1e6, source: 'https://aws.amazon.com/lambda/pricing/ ($0.20 per 1M requests)' },
  dynamoWriteUnit: {
    usd: 0.625 / 1e6,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing (on-demand after the Nov 2024 cut)',
  },
  dynamoReadUnit: {
    usd: 0.125 / 1e6,
    source: 'https://airbyte.com/data-engineering-resources/dynamodb-pricing (on-demand after the Nov 2024 cut)',
  },
  dynamoStorageGbMonth: {
    usd: 0.25,
    source: 'not found in the pages searched; the AWS list price as we know it (Standard table class): unverified',
  },
  stepFunctionsTransition: { usd: 0.025 / 1000, source: 'https://aws.amazon.com/step-functions/pricing/' },
  sesMessage: { usd: 0.1 / 1000, source: 'https://www.acecloudinterviews.com/tutorials/aws/ses/ ($0.10 per 1,000)' },
  s3Put: {
    usd: 0.005 / 1000,
    source:
      'https://www.cloudkaramchari.com/blog/understanding-per-1000-put-copy-post-or-list-requests-in-amazon-s3-pricing/',
  },
  s3StorageGbMonth: {
    usd: 0.023,
    source: 'not found in the pages searched; the S3 Standard list price as we know it: unverified',
  },
  logsIngestGb: { usd: 0.5, source: 'https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing (us-east-1)' },
  logsStorageGbMonth: { usd: 0.03, source: 'https://hykell.com/knowledge-base/aws-cloudwatch-logs-pricing' },
} as const;

/** What the model assumes because it was not measured here. */
export const ASSUMPTIONS = {
  planRunsPerMonth: 30,
  executionsPerMonth: 52 / 12,
  /** Accounts acted on per weekly execution, as a share of people (steady-state leavers and idle seats). */
  actedSharePerWeek: 0.02,
  approvers: 3,
  /**
   * Only for results measured before capacity units were (runs whose counts carry no writeUnits):
   * every write ≤ 1 KB (1 WRU, 2 in a transaction, index writes not counted), every read ≤ 4 KB.
   */
  wruPerItemWrite: 1,
  rruPerItemRead: 1,
  /** Bytes stored per DynamoDB item (when no measured sizes) and per archived S3 object (audit records are ~0.5-1 KB). */
  bytesPerStoredItem: 1024,
  /** Lambda memory (lib/: plan, execute step 1024 MB arm64; report 1024 MB x86; archiver 512 MB). */
  planMemoryGb: 1,
  execMemoryGb: 1,
  archiverMemoryGb: 0.5,
  /** The archiver's duration per batch of 100 stream records (not measured on S3: a LIST and one PUT per stream). */
  archiverSecondsPerBatch: 2,
  /** S3 requests per archived audit record when the run did not measure them (one PUT and one LIST per batch of 100). */
  s3RequestsPerAuditRecord: 0.02,
  reportSeconds: 30,
  reportMemoryGb: 1,
  /** Lambda platform log lines (START, END, REPORT) per invocation. */
  platformLogBytesPerInvocation: 400,
};

export interface PlanCounts {
  people: number;
  wallMs: number;
  /** Write request units (measured) or, for older results, write items (× wruPerItemWrite). */
  writes: number;
  /** KB the writes put in tables and index copies, with DynamoDB's per-item overhead (measured; an upper bound). */
  storedKb?: number;
  /** Whether writes and reads are measured capacity units. */
  units?: boolean;
  auditRecords: number;
  reads: number;
  logBytes?: number;
  /** Measured: the archiver's S3 requests (PUT, LIST, GET) per archived record. */
  s3RequestsPerAuditRecord?: number;
}

export interface ExecPerItem {
  /** Write request units (measured) or, for older results, write items (× wruPerItemWrite). */
  writes: number;
  /** Whether writes and reads are measured capacity units (decided per source: plan and execution results may differ). */
  units?: boolean;
  storedKb?: number;
  /** 'bytes' when storedKb was counted as DynamoDB bills storage (older results: 1 KB per copy). */
  storage?: 'bytes';
  auditRecords: number;
  reads: number;
  lambdaSeconds: number;
  invocations: number;
  transitions: number;
  logBytes: number;
  source: string;
}

const GB = 1024 ** 3;

export function monthlyCost(plan: PlanCounts, exec: ExecPerItem, logBytesPerPlanAccount: number, label: string) {
  const A = ASSUMPTIONS;
  const P = PRICES;
  const acted = Math.round(plan.people * A.actedSharePerWeek);
  const planLogBytes = plan.logBytes ?? logBytesPerPlanAccount * plan.people;
  const perMonth = {
    planRuns: A.planRunsPerMonth,
    executions: +A.executionsPerMonth.toFixed(2),
    actedPerExecution: acted,
  };
  const planGbS = (plan.wallMs / 1000) * A.planMemoryGb * A.planRunsPerMonth;
  const execGbS = exec.lambdaSeconds * acted * A.execMemoryGb * A.executionsPerMonth;
  const auditPerMonth = plan.auditRecords * A.planRunsPerMonth + exec.auditRecords * acted * A.executionsPerMonth;
  const archiverBatches = auditPerMonth / 100;
  const archiverGbS = archiverBatches * A.archiverSecondsPerBatch * A.archiverMemoryGb;
  const reportGbS = A.reportSeconds * A.reportMemoryGb;
  const invocations =
    A.planRunsPerMonth +
    exec.invocations * A.executionsPerMonth +
    archiverBatches +
    1 /* report */ +
    10; /* mailer, site */
  // Capacity units: measured ones as they are, item counts of older results at the assumed units per item.
  const [planWru, execWru] = [plan.units, exec.units].map((u) => (u ? 1 : A.wruPerItemWrite));
  const [planRru, execRru] = [plan.units, exec.units].map((u) => (u ? 1 : A.rruPerItemRead));
  const writes = plan.writes * planWru! * A.planRunsPerMonth + exec.writes * execWru! * acted * A.executionsPerMonth;
  const reads = plan.reads * planRru! * A.planRunsPerMonth + exec.reads * execRru! * acted * A.executionsPerMonth;
  const measuredUnits = Boolean(plan.units && exec.units);
  const mails =
    A.approvers * A.planRunsPerMonth + // proposal mails
    (acted + A.approvers) * A.executionsPerMonth + // warnings before deactivation, results
    A.approvers; // the monthly report
  // A month of items, audit records and their index copies kept (an upper bound: nothing expires within the month).
  const storedGb =
    plan.storedKb !== undefined && exec.storedKb !== undefined
      ? (plan.storedKb * A.planRunsPerMonth + exec.storedKb * acted * A.executionsPerMonth) / 1024 ** 2
      : (writes * A.bytesPerStoredItem) / GB;
  const logBytes =
    planLogBytes * A.planRunsPerMonth +
    exec.logBytes * acted * A.executionsPerMonth +
    invocations * A.platformLogBytesPerInvocation;
  const lines = {
    'Lambda GB-s (plan, execution, archiver: arm64)': (planGbS + execGbS + archiverGbS) * P.lambdaArmGbSecond.usd,
    'Lambda GB-s (report: x86)': reportGbS * P.lambdaX86GbSecond.usd,
    'Lambda requests': invocations * P.lambdaRequest.usd,
    'DynamoDB writes (on-demand)': writes * P.dynamoWriteUnit.usd,
    'DynamoDB reads (on-demand)': reads * P.dynamoReadUnit.usd,
    'DynamoDB storage (a month of items and index copies)': storedGb * P.dynamoStorageGbMonth.usd,
    'Step Functions transitions': exec.transitions * A.executionsPerMonth * P.stepFunctionsTransition.usd,
    'SES messages': mails * P.sesMessage.usd,
    // Priced as PUTs (LIST is the same class; the rare GET is cheaper): an upper bound.
    'S3 archive requests (one object per stream per batch)':
      auditPerMonth * (plan.s3RequestsPerAuditRecord ?? A.s3RequestsPerAuditRecord) * P.s3Put.usd,
    'S3 archive storage (a month of records)': ((auditPerMonth * A.bytesPerStoredItem) / GB) * P.s3StorageGbMonth.usd,
    'CloudWatch Logs ingestion': (logBytes / GB) * P.logsIngestGb.usd,
    'CloudWatch Logs storage (a month)': (logBytes / GB) * P.logsStorageGbMonth.usd,
  };
  const total = Object.values(lines).reduce((a, b) => a + b, 0);
  return {
    people: plan.people,
    label,
    perMonth,
    volumes: {
      lambdaGbSeconds: Math.round(planGbS + execGbS + archiverGbS + reportGbS),
      lambdaInvocations: Math.round(invocations),
      // Units either way; "estimated" where some came from item counts.
      [measuredUnits ? 'dynamoWriteUnits' : 'dynamoWriteUnitsEstimated']: Math.round(writes),
      [measuredUnits ? 'dynamoReadUnits' : 'dynamoReadUnitsEstimated']: Math.round(reads),
      auditRecords: Math.round(auditPerMonth),
      s3Requests: Math.round(auditPerMonth * (plan.s3RequestsPerAuditRecord ?? A.s3RequestsPerAuditRecord)),
      sesMessages: Math.round(mails),
      logMB: +(logBytes / 1024 ** 2).toFixed(1),
    },
    lines: Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, +v.toFixed(4)])),
    totalUsd: +total.toFixed(2),
  };
}
