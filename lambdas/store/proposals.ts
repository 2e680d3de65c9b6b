import {
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import type { Clock } from '../shared/clock.js';
import { batchGet, BATCH_GET_MAX } from './batch-get.js';
import { batchWrite } from './batch-write.js';
import { queryAll, setClause } from './query.js';
import { StateConflictError } from '../domain/errors.js';
import { isConditionalFailure } from './errors.js';
import { StoreError } from '../domain/errors.js';
import { ItemState, predecessorsOf } from '../domain/item-states.js';
import type { ProposalStore } from '../domain/ports.js';
import type { ProposalItem, ProposalMeta, ProposalStatus } from '../domain/proposal.js';

/** What execution's split needs of an item it may act on. */
export type RunnableItem = Pick<ProposalItem, 'accountId' | 'state' | 'decidedBy'>;

/** String fields set on an item with a state change (decision, execution outcome, warn-before dates). */
export type ItemFields = Readonly<Record<string, string | undefined>>;

const metaKey = (id: string) => ({ pk: { S: `PROPOSAL#${id}` }, sk: { S: 'META' } });
const itemKey = (id: string, accountId: string) => ({ pk: { S: `PROPOSAL#${id}` }, sk: { S: `ITEM#${accountId}` } });

/** Proposals and their items in the state table. */
export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
    private readonly clock: Clock,
    /**
     * `false`: items are written with PutItem, one by one (8 at a time), for a function whose grant
     * holds no BatchWriteItem (which would also allow deletes): the public review site.
     */
    private readonly options: { batchWrites?: boolean } = {},
  ) {}

  /** Creates a proposal unless one with this id exists; returns the existing one then. */
  async create(meta: ProposalMeta): Promise<{ created: boolean; proposal: ProposalMeta }> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            ...metaKey(meta.proposalId),
            gsi1pk: { S: `PROPOSALS#${meta.orgId}` },
            gsi1sk: { S: meta.createdAt },
            ...marshall(meta, { removeUndefinedValues: true }),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true, proposal: meta };
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      return { created: false, proposal: (await this.get(meta.proposalId))! };
    }
  }

  async get(proposalId: string): Promise<ProposalMeta | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: metaKey(proposalId), ConsistentRead: true }),
    );
    return res.Item ? (strip(unmarshall(res.Item)) as unknown as ProposalMeta) : undefined;
  }

  /** Writes items (idempotent puts, 25 per BatchWriteItem). Only while the proposal is BUILDING. */
  async putItems(items: readonly ProposalItem[]): Promise<{ calls: number }> {
    const requests = items.map((item) => ({
      PutRequest: {
        Item: {
          ...itemKey(item.proposalId, item.accountId),
          ...marshall({ ...item, evidence: JSON.stringify(item.evidence) }, { removeUndefinedValues: true }),
        },
      },
    }));
    if (this.options.batchWrites !== false) return batchWrite(this.client, this.table, requests, this.clock);
    const limit = pLimit(8);
    await Promise.all(
      requests.map((r) =>
        limit(() => this.client.send(new PutItemCommand({ TableName: this.table, Item: r.PutRequest.Item }))),
      ),
    );
    return { calls: requests.length };
  }

  /** Moves the proposal's status from one of `from` to `to`, with extra fields; conditional. */
  async setStatus(
    proposalId: string,
    from: readonly ProposalStatus[],
    to: ProposalStatus,
    fields: Partial<ProposalMeta> = {},
  ): Promise<void> {
    const extra = setClause(fields);
    const names: Record<string, string> = { '#status': 'status', ...extra.names };
    const values: Record<string, AttributeValue> = { ':to': { S: to }, ...extra.values };
    from.forEach((s, i) => (values[`:f${i}`] = { S: s }));
    const sets = ['#status = :to', ...extra.sets];
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: metaKey(proposalId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const actual = (err as { Item?: Record<string, AttributeValue> }).Item?.status?.S;
      throw new StateConflictError(
        `proposal ${proposalId} is ${actual ?? 'missing'}, not ${from.join(' or ')}; it cannot become ${to}.`,
        proposalId,
        from,
        actual,
      );
    }
  }

  /** Every item of a proposal, page by page (never the whole proposal at once). */
  async *items(proposalId: string): AsyncGenerator<ProposalItem> {
    for await (const raw of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
      ExpressionAttributeValues: { ':pk': { S: `PROPOSAL#${proposalId}` }, ':item': { S: 'ITEM#' } },
      ConsistentRead: true,
    }))
      yield toItem(raw);
  }

  /**
   * The items execution may still act on (APPROVED or IN_FLIGHT), with only the fields the split
   * needs. The filter and projection run in the store: a round of 10,000 items in a proposal of
   * 90,000 reads as many pages as before but carries 1/9 of the items back (on DynamoDB Local a
   * 30,000-item proposal: 12.0 s for every full item, 1.0 s filtered; scratch measurement of
   * 2026-12-03). Read capacity is charged for every item read, filtered or not.
   */
  async *runnable(proposalId: string): AsyncGenerator<RunnableItem> {
    for await (const raw of this.itemQuery(
      proposalId,
      '#state IN (:approved, :inFlight)',
      {
        ':approved': { S: ItemState.APPROVED },
        ':inFlight': { S: ItemState.IN_FLIGHT },
      },
      'accountId, #state, decidedBy',
    ))
      yield unmarshall(raw) as RunnableItem;
  }

  /** Every item past its decision (any state but PROPOSED), full: what a results mail lists. */
  async *decidedItems(proposalId: string): AsyncGenerator<ProposalItem> {
    for await (const raw of this.itemQuery(proposalId, '#state <> :proposed', {
      ':proposed': { S: ItemState.PROPOSED },
    }))
      yield toItem(raw);
  }

  private itemQuery(
    proposalId: string,
    filter: string,
    values: Record<string, AttributeValue>,
    projection?: string,
  ): AsyncGenerator<Record<string, AttributeValue>> {
    return queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :item)',
      FilterExpression: filter,
      ...(projection && { ProjectionExpression: projection }),
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':pk': { S: `PROPOSAL#${proposalId}` }, ':item': { S: 'ITEM#' }, ...values },
      ConsistentRead: true,
    });
  }

  async item(proposalId: string, accountId: string): Promise<ProposalItem | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: itemKey(proposalId, accountId), ConsistentRead: true }),
    );
    return res.Item ? toItem(res.Item) : undefined;
  }

  /**
   * Moves one item forward to `to`, only from a state allowed to precede it (item-states.ts).
   * A second attempt of the same move fails with StateConflictError carrying the actual state.
   */
  async moveItem(proposalId: string, accountId: string, to: ItemState, fields: ItemFields = {}): Promise<void> {
    await this.updateItem(proposalId, accountId, predecessorsOf(to), to, fields);
  }

  /** Moves one item to `to` only from `from` (which must be allowed to precede it). */
  async moveItemFrom(
    proposalId: string,
    accountId: string,
    from: ItemState,
    to: ItemState,
    fields: ItemFields = {},
  ): Promise<void> {
    if (!predecessorsOf(to).includes(from))
      throw new StoreError(`an item never moves from ${from} to ${to} (see domain/item-states.ts)`);
    await this.updateItem(proposalId, accountId, [from], to, fields);
  }

  /** Sets fields on an item that is (still) in `state`, without moving it. */
  async annotateItem(proposalId: string, accountId: string, state: ItemState, fields: ItemFields): Promise<void> {
    await this.updateItem(proposalId, accountId, [state], state, fields);
  }

  /** Items by account id, 100 per BatchGetItem (unprocessed keys retried); missing ones are left out. */
  async itemsByIds(proposalId: string, accountIds: readonly string[]): Promise<ProposalItem[]> {
    const out: ProposalItem[] = [];
    for (let i = 0; i < accountIds.length; i += BATCH_GET_MAX) {
      const keys = accountIds.slice(i, i + BATCH_GET_MAX).map((id) => itemKey(proposalId, id));
      const found = await batchGet(this.client, this.table, keys, {
        consistent: true,
        sleep: (ms) => this.clock.sleep(ms),
      });
      out.push(...found.map(toItem));
    }
    return out;
  }

  private async updateItem(
    proposalId: string,
    accountId: string,
    from: readonly ItemState[],
    to: ItemState,
    fields: ItemFields,
  ): Promise<void> {
    const extra = setClause(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')));
    const values: Record<string, AttributeValue> = {
      ':to': { S: to },
      ':at': { S: new Date(this.clock.now()).toISOString() },
      ...extra.values,
    };
    from.forEach((s, i) => (values[`:f${i}`] = { S: s }));
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: itemKey(proposalId, accountId),
          UpdateExpression: `SET ${['#state = :to', 'updatedAt = :at', ...extra.sets].join(', ')}`,
          ConditionExpression: `attribute_exists(pk) AND #state IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
          ExpressionAttributeNames: { '#state': 'state', ...extra.names },
          ExpressionAttributeValues: values,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      const actual = (err as { Item?: Record<string, AttributeValue> }).Item?.state?.S;
      throw new StateConflictError(
        `item ${accountId} of proposal ${proposalId} is ${actual ?? 'missing'}; it cannot become ${to} (only from ${from.join(', ')}).`,
        `${proposalId}/${accountId}`,
        from,
        actual,
      );
    }
  }
}

function strip(o: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = o;
  return rest;
}

function toItem(raw: Record<string, AttributeValue>): ProposalItem {
  const o = strip(unmarshall(raw));
  return { ...o, evidence: JSON.parse(String(o.evidence ?? '{}')) } as ProposalItem;
}
