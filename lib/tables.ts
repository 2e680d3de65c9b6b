import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { AUDIT_TABLE, SEATS_TABLE, STATE_TABLE, type KeyDef, type TableDef } from '../lambdas/store/tables.js';

export interface LifecycleTablesProps {
  /**
   * What happens to the tables when the stack is deleted.
   * @default RemovalPolicy.RETAIN - audit and state outlive the stack
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Keep the audit indexes projecting every attribute, as stacks deployed before they became
   * keys-only have them: CloudFormation cannot change an existing index's projection (it refuses
   * the update). The readers work with either.
   * @default false - keys only (lambdas/store/tables.ts)
   */
  readonly auditIndexesProjectAll?: boolean;
}

const attr = (k: KeyDef): dynamodb.Attribute => ({
  name: k.name,
  type: k.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

function build(scope: Construct, def: TableDef, removalPolicy: RemovalPolicy, projectAll = false): dynamodb.Table {
  const table = new dynamodb.Table(scope, def.id, {
    partitionKey: attr(def.partitionKey),
    ...(def.sortKey && { sortKey: attr(def.sortKey) }),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy,
    ...(def.ttlAttribute && { timeToLiveAttribute: def.ttlAttribute }),
    ...(def.changeStream && { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES }),
  });
  for (const index of def.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: attr(index.partitionKey),
      ...(index.sortKey && { sortKey: attr(index.sortKey) }),
      projectionType:
        index.projection === 'KEYS_ONLY' && !projectAll
          ? dynamodb.ProjectionType.KEYS_ONLY
          : dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}

/** The product's DynamoDB tables, built from the one definition in lambdas/store/tables.ts. */
export class LifecycleTables extends Construct {
  readonly state: dynamodb.Table;
  readonly audit: dynamodb.Table;
  readonly seats: dynamodb.Table;

  constructor(scope: Construct, id: string, props: LifecycleTablesProps = {}) {
    super(scope, id);
    const removal = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.state = build(this, STATE_TABLE, removal);
    this.audit = build(this, AUDIT_TABLE, removal, props.auditIndexesProjectAll);
    this.seats = build(this, SEATS_TABLE, removal);
  }

  /**
   * Append to the audit log: PutItem (conditional, new keys only) and reads; never Update, Delete or
   * BatchWrite. Writes are limited by `dynamodb:LeadingKeys` to the streams this function owns
   * (AUDIT_WRITERS): the public review function cannot write a plan run's stream.
   * LeadingKeys: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  grantAppendAudit(grantee: iam.IGrantable, writer: AuditWriter): void {
    const resources = [this.audit.tableArn, `${this.audit.tableArn}/index/*`];
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: [...AUDIT_READ_ACTIONS], resources }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [this.audit.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': AUDIT_WRITERS[writer].map((p) => `${p}*`) },
        },
      }),
    );
  }

  /**
   * Read and write run state, proposals, items and tokens. `full` (the plan, the execution steps)
   * also batch-writes and deletes (lock release); `decide` (the review site and the hourly sweep)
   * only reads, puts and updates single items: no DeleteItem, no BatchWriteItem.
   */
  grantState(grantee: iam.IGrantable, access: 'full' | 'decide' = 'full'): void {
    if (access === 'full') {
      this.state.grantReadWriteData(grantee);
      return;
    }
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...STATE_DECIDE_ACTIONS],
        resources: [this.state.tableArn, `${this.state.tableArn}/index/*`],
      }),
    );
  }

  grantSeats(grantee: iam.IGrantable): void {
    this.seats.grantReadWriteData(grantee);
  }

  /**
   * Execution's finish step: puts executed changes and a snapshot, and queries the latest snapshot.
   * No update or delete: a snapshot once written stays as it is.
   */
  grantWriteSnapshots(grantee: iam.IGrantable): void {
    this.seats.grant(grantee, ...SNAPSHOT_WRITER_ACTIONS);
  }
}

/** What execution's finish step may do in the seats table. */
export const SNAPSHOT_WRITER_ACTIONS = ['dynamodb:PutItem', 'dynamodb:Query'] as const;

/**
 * The only actions an audit writer gets: the log is append-only. Not BatchWriteItem, whose grant
 * would also allow deletes; the writer uses conditional PutItem on new keys only.
 */
export const AUDIT_APPEND_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  // The by-account, by-day and by-proposal reads fetch records from the table (the indexes hold keys).
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:DescribeTable',
] as const;
/** The State table actions of the review site and the sweep (TransactWriteItems needs Put/Update/ConditionCheck). */
export const STATE_DECIDE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
] as const;
const AUDIT_READ_ACTIONS = AUDIT_APPEND_ACTIONS.filter((a) => a !== 'dynamodb:PutItem');

/**
 * The audit streams each function writes, by name prefix (lambdas/domain/streams.ts and
 * lambdas/execute/streams.ts name them). A function's PutItem on the audit table is limited to these.
 */
export const AUDIT_WRITERS = {
  /** The nightly plan, and the proposal's sending (with its auto-approved items) it hands off to. */
  plan: ['RUN#', 'DRYRUN#', 'PROPOSAL#', 'AUTO#'],
  /** The public review site: decisions, refusals of real links, keep links (execution stream), undo requests. */
  site: ['PROPOSAL#', 'DECISION#', 'AUTO#', 'execution#'],
  /** The hourly sweep: expiry and settling interrupted decisions. */
  expiry: ['PROPOSAL#', 'EXPIRY#', 'DECISION#'],
  /** The execution steps. */
  step: ['execution#'],
  /** The mailer function: sending an undo proposal (its links issued, withdrawn, sent). */
  mailer: ['PROPOSAL#'],
} as const;
export type AuditWriter = keyof typeof AUDIT_WRITERS;
