import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type Put,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEntry } from '../domain/audit.js';
import type { RunStore } from '../domain/ports.js';
import { RunStatus, type RunRecord } from '../domain/run.js';
import { setClause } from './query.js';
import { StateConflictError, StoreError } from '../domain/errors.js';
import { firstRecordPut } from './audit-log.js';
import { isConditionalFailure } from './errors.js';

const key = (runId: string) => ({ pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' } });

/**
 * Run records in the state table (`pk=RUN#<runId>`, `sk=RUN`). Given the audit table, `start` can
 * write the run record and its stream's first audit record in one transaction.
 */
export class DynamoRunStore implements RunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly auditTable?: string,
  ) {}

  async get(runId: string): Promise<RunRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: key(runId), ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = unmarshall(res.Item);
    return rest as RunRecord;
  }

  /**
   * Starts attempt `record.attempt`; refuses if another attempt already wrote a later one. With
   * `first`, the first record of that attempt's audit stream is written in the same transaction:
   * both are written or neither is.
   */
  async start(record: RunRecord, first?: { stream: string; entry: AuditEntry }): Promise<void> {
    const put: Put = {
      TableName: this.table,
      Item: { ...key(record.runId), ...marshall(record, { removeUndefinedValues: true }) },
      ConditionExpression: 'attribute_not_exists(pk) OR (attempt < :a AND #s <> :complete AND #s <> :blocked)',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: {
        ':a': { N: String(record.attempt) },
        ':complete': { S: RunStatus.COMPLETE },
        ':blocked': { S: RunStatus.BLOCKED },
      },
    };
    if (first && !this.auditTable)
      throw new StoreError(
        'DynamoRunStore was built without the audit table: pass it to start a run with its audit record.',
      );
    try {
      if (!first) await this.client.send(new PutItemCommand(put));
      else
        await this.client.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Put: put },
              { Put: firstRecordPut(this.auditTable!, first.stream, first.entry, record.startedAt) },
            ],
          }),
        );
    } catch (err) {
      if (!isConditionalFailure(err) && !isRunConflict(err)) throw err;
      throw new StateConflictError(
        `run ${record.runId} attempt ${record.attempt} was already started or completed.`,
        record.runId,
        ['absent'],
        'present',
      );
    }
  }

  async update(runId: string, fields: Partial<Omit<RunRecord, 'runId'>>): Promise<void> {
    const { sets, names, values } = setClause(fields);
    if (sets.length === 0) return;
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: key(runId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}

/** The transaction was cancelled because the run record's condition failed (not the audit record's). */
function isRunConflict(err: unknown): boolean {
  const reasons = (err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return (err as Error).name === 'TransactionCanceledException' && reasons?.[0]?.Code === 'ConditionalCheckFailed';
}
