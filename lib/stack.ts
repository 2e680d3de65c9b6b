import { Stack, type StackProps, type RemovalPolicy } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { LifecycleTables } from './tables.js';

export interface LifecycleStackProps extends StackProps {
  /**
   * Removal policy of the stateful resources (tables).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The whole deployment. Today: the tables. The functions, schedules, state machine, approval URL,
 * SES identity, secrets and alarms are added by the issues that build them.
 */
export class LifecycleStack extends Stack {
  readonly tables: LifecycleTables;

  constructor(scope: Construct, id: string, props: LifecycleStackProps = {}) {
    super(scope, id, props);
    this.tables = new LifecycleTables(this, 'Tables', { removalPolicy: props.removalPolicy });
  }
}
