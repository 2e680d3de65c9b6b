import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ProposalStatus, type ProposalMeta } from '../domain/proposal.js';
import type { OpenProposals } from '../domain/ports.js';
import { queryAll } from './query.js';

/**
 * Proposals of an organization by state, read from the state table's gsi1 (`PROPOSALS#<orgId>`,
 * written by DynamoProposalStore.create).
 */
export class DynamoOpenProposals implements OpenProposals {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  /** READY proposals: waiting for a decision. */
  ready(orgId: string): AsyncGenerator<ProposalMeta> {
    return this.query(orgId, '#s = :ready', { ':ready': { S: ProposalStatus.READY } });
  }

  /** Decided proposals whose decision was not (fully) applied to the items yet: no `settledAt`. */
  unsettled(orgId: string): AsyncGenerator<ProposalMeta> {
    return this.query(orgId, '#s IN (:a, :r, :e) AND attribute_not_exists(settledAt)', {
      ':a': { S: ProposalStatus.APPROVED },
      ':r': { S: ProposalStatus.REJECTED },
      ':e': { S: ProposalStatus.EXPIRED },
    });
  }

  private async *query(
    orgId: string,
    filter: string,
    values: Record<string, AttributeValue>,
  ): AsyncGenerator<ProposalMeta> {
    for await (const raw of queryAll(this.client, {
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :p',
      FilterExpression: filter,
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':p': { S: `PROPOSALS#${orgId}` }, ...values },
    })) {
      const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...meta } = unmarshall(raw);
      yield meta as ProposalMeta;
    }
  }
}
