#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError } from '../lambdas/config/index.js';
import { LifecycleStack } from '../lib/stack.js';
import { auditIndexesProjectAllOf, configFileOf, loadStackConfig } from './app-config.js';

const app = new App();
try {
  // cdk synth|deploy --context configFile=path/to/config.json (default: cdk.json's, else the AWS example).
  const configFile = configFileOf((key) => app.node.tryGetContext(key));
  new LifecycleStack(app, 'AtlassianLifecycle', {
    config: loadStackConfig(configFile),
    // --context auditIndexesProjectAll=true: for a stack deployed before the audit indexes became keys-only.
    auditIndexesProjectAll: auditIndexesProjectAllOf((key) => app.node.tryGetContext(key)),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
} catch (e) {
  // A configuration problem is the user's to fix: say what and how, without a stack trace.
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
