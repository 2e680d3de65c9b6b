import { GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { RunStore } from '../domain/ports.js';
import { RunStatus, type RunRecord } from '../domain/run.js';
import { setClause } from './query.js';
import { StateConflictError } from '../domain/errors.js';
import { isConditionalFailure } from './errors.js';

const key = (runId: string) => ({ pk: { S: `RUN#${runId}` }, sk: { S: 'RUN' } });

/** Run records in the state table (`pk=RUN#<runId>`, `sk=RUN`). */
export class DynamoRunStore implements RunStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async get(runId: string): Promise<RunRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: key(runId), ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, ...rest } = unmarshall(res.Item);
    return rest as RunRecord;
  }

  /** Starts attempt `record.attempt`; refuses if another attempt already wrote a later one. */
  async start(record: RunRecord): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...key(record.runId), ...marshall(record, { removeUndefinedValues: true }) },
          ConditionExpression: 'attribute_not_exists(pk) OR (attempt < :a AND #s <> :complete AND #s <> :blocked)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: {
            ':a': { N: String(record.attempt) },
            ':complete': { S: RunStatus.COMPLETE },
            ':blocked': { S: RunStatus.BLOCKED },
          },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
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
