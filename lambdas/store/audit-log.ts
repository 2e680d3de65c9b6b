import {
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import type { Clock } from '../shared/clock.js';
import { GENESIS_HASH, recordHash } from '../domain/audit-hash.js';
import { checkChain } from '../audit/chain.js';
import type { AuditEntry, AuditRecord, ChainVerdict } from '../domain/audit.js';
import type { AuditLog } from '../domain/ports.js';
import { AuditConflictError, StoreError } from '../domain/errors.js';
import { batchGet, BATCH_GET_MAX } from './batch-get.js';
import { isConditionalFailure } from './errors.js';
import { queryAll } from './query.js';

type Head = { seq: number; hash: string };

/** BatchGetItem calls an index read keeps going at once. */
const FETCHES_AT_ONCE = 4;

/**
 * DynamoDB audit log. Every record is written with a conditional Put on a new (stream, seq) key
 * (alone, or in a transaction of an owner's records), so nothing is ever overwritten, and the IAM grant needs no Update or Delete
 * (lib/tables.ts, AUDIT_APPEND_ACTIONS). Each record carries the hash of the previous one.
 */
export class DynamoAuditLog implements AuditLog {
  private readonly heads = new Map<string, Head>();

  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
    private readonly concurrency = 16,
  ) {}

  private async head(stream: string, refresh = false): Promise<Head> {
    const known = this.heads.get(stream);
    if (known && !refresh) return known;
    const res = await this.client.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#s = :s',
        ExpressionAttributeNames: { '#s': 'stream' },
        ExpressionAttributeValues: { ':s': { S: stream } },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const last = res.Items?.[0];
    const head = last ? { seq: Number(last.seq?.N), hash: String(last.hash?.S) } : { seq: 0, hash: GENESIS_HASH };
    this.heads.set(stream, head);
    return head;
  }

  private build(stream: string, entry: AuditEntry, prev: Head): AuditRecord {
    return buildRecord(stream, entry, prev, new Date(this.clock.now()).toISOString());
  }

  private async put(record: AuditRecord): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: recordItem(record),
        ConditionExpression: 'attribute_not_exists(#s)',
        ExpressionAttributeNames: { '#s': 'stream' },
      }),
    );
  }

  async append(stream: string, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for (const entry of entries) {
      for (let attempt = 0; ; attempt++) {
        const record = this.build(stream, entry, await this.head(stream, attempt > 0));
        try {
          await this.put(record);
          this.heads.set(stream, { seq: record.seq, hash: record.hash });
          out.push(record);
          break;
        } catch (err) {
          if (!isConditionalFailure(err) || attempt >= 20) throw err;
        }
      }
    }
    return out;
  }

  /**
   * The owner's records go in transactions of up to TRANSACT_MAX (each Put keeps its own
   * attribute_not_exists condition, so nothing is ever overwritten: one record already at its place
   * cancels its whole transaction), a few transactions at once. One request per 100 records instead
   * of one per record; a transaction costs DynamoDB two write units per item.
   */
  async appendOwned(stream: string, entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    let prev = await this.head(stream);
    const records = entries.map((e) => (prev = toHead(this.build(stream, e, prev))) as AuditRecord);
    const limit = pLimit(Math.max(1, Math.ceil(this.concurrency / 4)));
    try {
      // Every transaction settles before a failure is thrown: none is under way when the caller retries.
      const outcomes = await Promise.allSettled(
        transactBatches(records).map((batch) => limit(() => this.putAll(batch))),
      );
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (err) {
      this.heads.delete(stream);
      if (isConditionalFailure(err) || isCancelledByCondition(err))
        throw new AuditConflictError(
          `audit stream ${stream} was written by someone else while this writer owned it; the chain may show a fork. Run the verify command on it.`,
        );
      throw err;
    }
    this.heads.set(stream, prev);
    return records;
  }

  private async putAll(batch: readonly { record: AuditRecord; item: Record<string, AttributeValue> }[]) {
    if (batch.length === 1) return this.put(batch[0]!.record);
    await this.client.send(
      new TransactWriteItemsCommand({
        TransactItems: batch.map(({ item }) => ({
          Put: {
            TableName: this.table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#s)',
            ExpressionAttributeNames: { '#s': 'stream' },
          },
        })),
      }),
    );
  }
}

/** DynamoDB's limits for one TransactWriteItems: 100 items, 4 MB (kept well under, by the JSON size). */
export const TRANSACT_MAX = 100;
const TRANSACT_MAX_BYTES = 3_000_000;

/** Consecutive records in groups of at most TRANSACT_MAX items and TRANSACT_MAX_BYTES (estimated). */
function transactBatches(records: readonly AuditRecord[]) {
  const out: { record: AuditRecord; item: Record<string, AttributeValue> }[][] = [];
  let batch: { record: AuditRecord; item: Record<string, AttributeValue> }[] = [];
  let bytes = 0;
  for (const record of records) {
    const item = recordItem(record);
    const size = JSON.stringify(item).length;
    if (batch.length >= TRANSACT_MAX || (batch.length > 0 && bytes + size > TRANSACT_MAX_BYTES)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push({ record, item });
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** A transaction cancelled because one of its conditions did not hold. */
const isCancelledByCondition = (err: unknown): boolean =>
  (err as Error)?.name === 'TransactionCanceledException' &&
  ((err as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? []).some(
    (r) => r.Code === 'ConditionalCheckFailed',
  );

const toHead = (r: AuditRecord): AuditRecord & Head => r as AuditRecord & Head;

/** The record after `prev` (seq and hash chained), written at `at` (ISO). */
function buildRecord(stream: string, entry: AuditEntry, prev: Head, at: string): AuditRecord {
  const content = {
    ...stripUndefined(entry),
    stream,
    seq: prev.seq + 1,
    at,
    day: at.slice(0, 10),
    prevHash: prev.hash,
  };
  return { ...content, hash: recordHash(content, prev.hash) } as AuditRecord;
}

function recordItem(record: AuditRecord): Record<string, AttributeValue> {
  const { details, ...rest } = record;
  return marshall({ ...rest, ...(details && { details: JSON.stringify(details) }) }, { removeUndefinedValues: true });
}

/**
 * The Put of a new stream's first record (seq 1, chained to the genesis hash), for a transaction
 * that writes it together with something else (the run record: both or neither). Refused by
 * DynamoDB if the stream has a record 1 already.
 */
export function firstRecordPut(table: string, stream: string, entry: AuditEntry, at: string) {
  return {
    TableName: table,
    Item: recordItem(buildRecord(stream, entry, { seq: 0, hash: GENESIS_HASH }, at)),
    ConditionExpression: 'attribute_not_exists(#s)',
    ExpressionAttributeNames: { '#s': 'stream' },
  };
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export function fromItem(item: Record<string, AttributeValue>): AuditRecord {
  const raw = unmarshall(item) as AuditRecord & { details?: string };
  return {
    ...raw,
    ...(typeof raw.details === 'string' && { details: JSON.parse(raw.details) as Record<string, unknown> }),
  } as AuditRecord;
}

/** Reads of the audit log (for the verify command, reports and tests). */
export class AuditReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  private async *query(input: QueryCommandInput): AsyncGenerator<AuditRecord> {
    for await (const item of queryAll(this.client, input)) yield fromItem(item);
  }

  /**
   * An index query: the audit indexes hold keys only (lambdas/store/tables.ts), so the records are
   * fetched from the table (consistent reads, up to 100 keys per BatchGetItem, a few at once while
   * the index is still being read) and yielded in the index's order. An audit record is never
   * removed, so a key the table does not answer for is an error, not a gap to skip.
   */
  private async *indexQuery(input: QueryCommandInput): AsyncGenerator<AuditRecord> {
    const index = String(input.IndexName);
    const inFlight: Promise<AuditRecord[]>[] = [];
    const start = (keys: Record<string, AttributeValue>[]) => {
      const p = this.fetch(keys, index);
      p.catch(() => undefined); // surfaces where it is awaited; never unhandled meanwhile
      inFlight.push(p);
    };
    try {
      let keys: Record<string, AttributeValue>[] = [];
      for await (const item of queryAll(this.client, input)) {
        keys.push({ stream: item.stream!, seq: item.seq! });
        if (keys.length < BATCH_GET_MAX) continue;
        start(keys);
        keys = [];
        if (inFlight.length >= FETCHES_AT_ONCE) yield* await inFlight.shift()!;
      }
      if (keys.length > 0) start(keys);
      while (inFlight.length > 0) yield* await inFlight.shift()!;
    } finally {
      // A consumer that stops early, or a failed read, leaves no fetch running.
      await Promise.allSettled(inFlight);
    }
  }

  private async fetch(keys: Record<string, AttributeValue>[], index: string): Promise<AuditRecord[]> {
    const id = (k: Record<string, AttributeValue>) => `${k.stream?.S}\u0000${k.seq?.N}`;
    const items = await batchGet(this.client, this.table, keys, { consistent: true });
    const found = new Map(items.map((item) => [id(item), item]));
    return keys.map((k) => {
      const item = found.get(id(k));
      if (!item)
        throw new StoreError(
          `Audit record ${k.stream?.S} #${k.seq?.N} is in the ${index} index but not in the table ${this.table}: ` +
            'audit records are never removed, so it was removed outside this tool. Check the stream against the archive ' +
            `with \`lifecycle audit verify ${k.stream?.S}\`.`,
        );
      return fromItem(item);
    });
  }

  stream(stream: string): AsyncGenerator<AuditRecord> {
    return this.query({
      TableName: this.table,
      KeyConditionExpression: '#s = :s',
      ExpressionAttributeNames: { '#s': 'stream' },
      ExpressionAttributeValues: { ':s': { S: stream } },
      ConsistentRead: true,
    });
  }

  byAccount(accountId: string): AsyncGenerator<AuditRecord> {
    return this.indexQuery({
      TableName: this.table,
      IndexName: 'byAccount',
      KeyConditionExpression: 'accountId = :a',
      ExpressionAttributeValues: { ':a': { S: accountId } },
    });
  }

  /** Every record that names a proposal, across the plan's, the approvals' and the executions' streams. */
  byProposal(proposalId: string): AsyncGenerator<AuditRecord> {
    return this.indexQuery({
      TableName: this.table,
      IndexName: 'byProposal',
      KeyConditionExpression: 'proposalId = :p',
      ExpressionAttributeValues: { ':p': { S: proposalId } },
    });
  }

  byDay(day: string): AsyncGenerator<AuditRecord> {
    return this.indexQuery({
      TableName: this.table,
      IndexName: 'byDay',
      KeyConditionExpression: '#d = :d',
      ExpressionAttributeNames: { '#d': 'day' },
      ExpressionAttributeValues: { ':d': { S: day } },
    });
  }

  /** Walks a stream from seq 1 and checks every link and hash; reports the first problem. */
  verify(stream: string): Promise<ChainVerdict> {
    return checkChain(stream, this.stream(stream));
  }
}
