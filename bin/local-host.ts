/**
 * The detached host of `lifecycle local up` (not run by hand): starts DynamoDB Local (tables
 * created), the SES v2 emulator, the Atlassian and Graph simulators, the review site and the
 * OpenID Provider its approvers sign in at (password LOCAL_APPROVER_PASSWORD), writes
 * the state file, and stops everything on SIGTERM or SIGINT. Its children run under guards: if
 * the host dies, however it dies, they die with it.
 *   tsx bin/local-host.ts --dir DIR [--users N] [--seed S] [--fixture FILE]
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../lambdas/config/index.js';
import { envSecretResolver, silentLogger } from '../lambdas/shared/index.js';
import { startApproverSignIn } from '../local/approver-sign-in.js';
import { createApproval } from '../lambdas/wiring/index.js';
import { startApprovalServer } from '../local/approval-server.js';
import { freePort } from '../local/ports.js';
import { startSimulatedOrg } from '../local/simulated-org.js';
import { startLocalStack } from '../local/stack.js';
import { localPaths, removeState, writeState } from '../local/state-file.js';
import { loadOrgFixture } from '../test/sim/org/fixture.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string' },
    users: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '7' },
    fixture: { type: 'string' },
  },
});
const dir = values.dir!;
const paths = localPaths(dir);
const port = (url: string) => Number(new URL(url).port);

const base = loadConfigFile(fileURLToPath(new URL('../config/example.local.json', import.meta.url)));
const stack = await startLocalStack();
const sims = await startSimulatedOrg(base, {
  users: Number(values.users),
  seed: Number(values.seed),
  ...(values.fixture && { org: loadOrgFixture(values.fixture) }),
});
const reviewPort = await freePort();
const reviewBaseUrl = `http://127.0.0.1:${reviewPort}`;
const env = {
  tables: stack.tables,
  dynamoEndpoint: stack.dynamo.endpoint,
  sesEndpoint: stack.ses.endpoint,
  region: 'us-east-1',
  reviewBaseUrl,
};
// Approvers sign in at a local OpenID Provider laid out like the Entra tenant, with the app registration's secret.
const signIn = await startApproverSignIn(
  sims.config,
  reviewBaseUrl,
  sims.secretsEnv[base.entra.clientSecret.source === 'env' ? base.entra.clientSecret.name : '']!,
);
const secrets = envSecretResolver({ ...process.env, ...sims.secretsEnv });
const approval = createApproval({ config: signIn.config, env, logger: silentLogger, secrets });
const review = await startApprovalServer((r) => approval.handle(r), { port: reviewPort });
writeFileSync(paths.config, `${JSON.stringify(signIn.config, null, 2)}\n`);
writeFileSync(paths.ca, sims.graph.ca);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${new Date().toISOString()} ${signal}: stopping the local stack`);
  await review.stop();
  await signIn.stop();
  await sims.stop();
  await stack.stop();
  removeState(dir);
  console.log(`${new Date().toISOString()} stopped`);
  process.exit(0);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));

writeState(dir, {
  hostPid: process.pid,
  pids: [process.pid, ...stack.pids()],
  startedAt: new Date().toISOString(),
  ports: {
    dynamo: port(stack.dynamo.endpoint),
    ses: port(stack.ses.endpoint),
    atlassian: port(sims.atlassian.url),
    graph: port(sims.graph.url),
    review: reviewPort,
    oidc: port(signIn.oidc.url),
  },
  org: {
    people: sims.org.people.length,
    ...(values.fixture ? { fixture: values.fixture } : { seed: Number(values.seed) }),
  },
  env: {
    LIFECYCLE_CONFIG_FILE: paths.config,
    LIFECYCLE_DYNAMODB_ENDPOINT: stack.dynamo.endpoint,
    LIFECYCLE_TABLE_PREFIX: 'lifecycle',
    LIFECYCLE_SES_ENDPOINT: stack.ses.endpoint,
    LIFECYCLE_REVIEW_BASE_URL: review.url,
    LIFECYCLE_GRAPH_CA: sims.graph.ca,
    ...sims.secretsEnv,
  },
});
console.log(`${new Date().toISOString()} ready: ${paths.state}`);
