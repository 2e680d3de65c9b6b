/**
 * Execution progress in the State table: one record per (proposal, round) and one per chunk, under
 * `EXECUTION#{proposalId}`. Chunks are written once, with the record, so the split of a running
 * execution never changes; a chunk's add-users tasks are added by conditional writes.
 */
import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExecutionStore } from '../domain/execution.js';
import type { ChunkRecord, ExecutionRecord, PolicyTask, Round } from '../domain/execution.js';
import type { Clock } from '../shared/clock.js';
import { batchWrite } from './batch-write.js';
import { StoreError } from '../domain/errors.js';
import { isConditionalFailure } from './errors.js';

const pk = (id: string) => ({ S: `EXECUTION#${id}` });
const recordKey = (id: string, round: Round) => ({ pk: pk(id), sk: { S: `ROUND#${round}` } });
const chunkKey = (id: string, round: Round, index: number) => ({
  pk: pk(id),
  sk: { S: `ROUND#${round}#CHUNK#${String(index).padStart(6, '0')}` },
});

function strip<T>(raw: Record<string, AttributeValue>): T {
  const { pk: _p, sk: _s, ...rest } = unmarshall(raw);
  return rest as T;
}

export class DynamoExecutionStore implements ExecutionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
  ) {}

  async get(proposalId: string, round: Round): Promise<ExecutionRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: recordKey(proposalId, round), ConsistentRead: true }),
    );
    return res.Item ? strip<ExecutionRecord>(res.Item) : undefined;
  }

  /** Chunks first (idempotent puts), then the record by a conditional put: the record's presence means every chunk is stored. */
  async create(record: ExecutionRecord, chunks: readonly ChunkRecord[]): Promise<ExecutionRecord> {
    const existing = await this.get(record.proposalId, record.round);
    if (existing) return existing;
    await batchWrite(
      this.client,
      this.table,
      chunks.map((c) => ({
        PutRequest: {
          Item: { ...chunkKey(c.proposalId, c.round, c.index), ...marshall(c, { removeUndefinedValues: true }) },
        },
      })),
      this.clock,
    );
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...recordKey(record.proposalId, record.round), ...marshall(record, { removeUndefinedValues: true }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return record;
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      return (await this.get(record.proposalId, record.round))!;
    }
  }

  async chunk(proposalId: string, round: Round, index: number): Promise<ChunkRecord | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: chunkKey(proposalId, round, index), ConsistentRead: true }),
    );
    return res.Item ? strip<ChunkRecord>(res.Item) : undefined;
  }

  async addTask(proposalId: string, round: Round, index: number, task: PolicyTask): Promise<void> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: chunkKey(proposalId, round, index),
          UpdateExpression: 'SET tasks = list_append(if_not_exists(tasks, :empty), :task) ADD taskIds :ids',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(taskIds, :id)',
          ExpressionAttributeValues: {
            ':empty': { L: [] },
            ':task': { L: [{ M: marshall(task) }] },
            ':id': { S: task.taskId },
            ':ids': { SS: [task.taskId] },
          },
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      throw new StoreError(`chunk ${index} of ${proposalId} already holds task ${task.taskId} (or does not exist).`);
    }
  }

  async markChunkDone(proposalId: string, round: Round, index: number, at: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: chunkKey(proposalId, round, index),
        UpdateExpression: 'SET doneAt = if_not_exists(doneAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': { S: at } },
      }),
    );
  }

  async finish(
    proposalId: string,
    round: Round,
    fields: Pick<ExecutionRecord, 'finishedAt' | 'outcome'>,
  ): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.table,
        Key: recordKey(proposalId, round),
        UpdateExpression: 'SET finishedAt = :at, outcome = :o',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': { S: fields.finishedAt! }, ':o': { M: marshall(fields.outcome ?? {}) } },
      }),
    );
  }
}
