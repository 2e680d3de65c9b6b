import { QueryCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ProposalStatus, type ProposalMeta } from '../store/proposal-types.js';
import type { OpenProposals } from './ports.js';

/**
 * READY proposals of an organization, read from the state table's gsi1 (`PROPOSALS#<orgId>`,
 * written by DynamoProposalStore.create). Kept here until the proposal store grows a listing.
 */
export class DynamoOpenProposals implements OpenProposals {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async *ready(orgId: string): AsyncGenerator<ProposalMeta> {
    let start: Record<string, AttributeValue> | undefined;
    do {
      const res = await this.client.send(new QueryCommand({
        TableName: this.table, IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :p', FilterExpression: '#s = :ready',
        ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': { S: `PROPOSALS#${orgId}` }, ':ready': { S: ProposalStatus.READY } }, ExclusiveStartKey: start,
      }));
      for (const raw of res.Items ?? []) {
        const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...meta } = unmarshall(raw);
        yield meta as ProposalMeta;
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
}
