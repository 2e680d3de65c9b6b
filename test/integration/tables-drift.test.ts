import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LifecycleStack } from '../../lib/stack.js';
import { TABLES } from '../../lambdas/store/tables.js';
import { dynamoClient, freshTables } from '../helpers/local.js';

type KeyElem = { AttributeName?: string; KeyType?: string };
type Attr = { AttributeName?: string; AttributeType?: string };
type Gsi = { IndexName?: string; KeySchema?: KeyElem[]; Projection?: { ProjectionType?: string } };

const keys = (k: KeyElem[] = []) => k.map((e) => `${e.AttributeName}:${e.KeyType}`);
const attrs = (a: Attr[] = []) => a.map((e) => `${e.AttributeName}:${e.AttributeType}`).sort();
const gsis = (g: Gsi[] = []) =>
  g
    .map((i) => ({ name: i.IndexName, keys: keys(i.KeySchema), projection: i.Projection?.ProjectionType }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));

describe('table definitions', () => {
  it('the synthesised CDK tables and the local DynamoDB tables have the same keys, attributes, indexes and TTL', async () => {
    const stack = new LifecycleStack(new App(), 'DriftCheck', {
      config: JSON.parse(
        readFileSync(fileURLToPath(new URL('../../config/example.aws.json', import.meta.url)), 'utf8'),
      ),
    });
    const template = Template.fromStack(stack);
    const cfn = template.findResources('AWS::DynamoDB::Table');
    const db = dynamoClient();
    const names = await freshTables(db);
    const localName: Record<string, string> = { State: names.state, Audit: names.audit, Seats: names.seats };

    expect(Object.keys(cfn)).toHaveLength(TABLES.length);
    for (const def of TABLES) {
      const logicalId = Object.keys(cfn).find((id) => id.startsWith(`Tables${def.id}`));
      expect(logicalId, `CDK table for ${def.id}`).toBeDefined();
      const deployed = cfn[logicalId!]!.Properties;
      const { Table: local } = await db.send(new DescribeTableCommand({ TableName: localName[def.id] }));

      expect(keys(local?.KeySchema)).toEqual(keys(deployed.KeySchema));
      expect(attrs(local?.AttributeDefinitions)).toEqual(attrs(deployed.AttributeDefinitions));
      expect(gsis(local?.GlobalSecondaryIndexes)).toEqual(gsis(deployed.GlobalSecondaryIndexes));
      expect(local?.BillingModeSummary?.BillingMode).toBe(deployed.BillingMode);
      expect(deployed.TimeToLiveSpecification?.AttributeName).toBe(def.ttlAttribute);
      const ttl = await db.send(new DescribeTimeToLiveCommand({ TableName: localName[def.id] }));
      expect(ttl.TimeToLiveDescription?.AttributeName).toBe(deployed.TimeToLiveSpecification?.AttributeName);
    }
    db.destroy();
  });
});
