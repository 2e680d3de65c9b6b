import {
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/** Every item a Query matches, page by page (DynamoDB returns at most 1 MB per call). */
export async function* queryAll(
  client: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, AttributeValue>> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const res = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    yield* res.Items ?? [];
    start = res.LastEvaluatedKey;
  } while (start);
}

/** A `SET #a0 = :a0, ...` clause for the defined fields of an object, with its names and values. */
export interface SetClause {
  /** `#a0 = :a0` terms, to join with ', ' after any fixed terms. */
  readonly sets: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

export function setClause(fields: object): SetClause {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const sets = Object.entries(marshall(fields, { removeUndefinedValues: true })).map(([k, v], i) => {
    names[`#a${i}`] = k;
    values[`:a${i}`] = v;
    return `#a${i} = :a${i}`;
  });
  return { sets, names, values };
}
