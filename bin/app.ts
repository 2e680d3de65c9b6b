#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { LifecycleStack } from '../lib/stack.js';

const app = new App();
// cdk deploy -c config=path/to/config.json (default: the committed AWS example).
const configPath = (app.node.tryGetContext('config') as string | undefined) ?? 'config/example.aws.json';
new LifecycleStack(app, 'AtlassianLifecycle', {
  config: JSON.parse(readFileSync(configPath, 'utf8')),
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
