#!/usr/bin/env node
// npm run demo: runs the main job on the embedded local stack. It grows as the product does;
// today it starts the real local parts, checks they answer, prints what it started, and stops.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { ListTablesCommand } = await import('@aws-sdk/client-dynamodb');
const { startLocalStack } = await import('../local/stack.js');
const { loadConfigFile } = await import('../lambdas/config/index.js');

const keep = process.argv.includes('--keep');
const config = loadConfigFile(new URL('../config/example.local.json', import.meta.url).pathname);
console.log(`Configuration: config/example.local.json (org ${config.orgId}, stale after ${config.deactivation.staleAfterDays} days)`);
const t0 = Date.now();
const stack = await startLocalStack();
console.log(`Local stack up in ${Date.now() - t0} ms:`);
console.log(`  DynamoDB Local      ${stack.dynamo.endpoint}  (pid ${stack.dynamo.process.pid})`);
console.log(`  SES v2 emulator     ${stack.ses.endpoint}  (outbox: ${stack.ses.endpoint}/  or  /store)`);
const db = stack.dynamo.client();
const { TableNames } = await db.send(new ListTablesCommand({}));
db.destroy();
console.log(`  Tables              ${TableNames?.join(', ')}`);
if (keep) {
  console.log('Running until Ctrl-C (--keep).');
  const stop = async () => {
    await stack.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} else {
  await stack.stop();
  console.log('Stopped. (npm run demo -- --keep leaves the stack running.)');
}
