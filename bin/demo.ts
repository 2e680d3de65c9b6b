#!/usr/bin/env node
// npm run demo [-- --users 5000 --seed 7 --approve [--warn-days N] --dry-run --keep]: the nightly run on the embedded local stack.
// Starts DynamoDB Local, the SES v2 emulator, the review site on loopback and the Atlassian and
// Graph simulators (a synthetic org); runs the plan with config/example.local.json pointed at
// them; prints what it proposes and why; mails the proposal to the approvers (into the emulator);
// with --approve, approves it through the review link as an approver would and executes it (the
// execution state machine, run locally) against the simulators; verifies the audit chain; and
// stops everything (unless --keep).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '7' },
    keep: { type: 'boolean', default: false },
    approve: { type: 'boolean', default: false },
    'dry-run': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    'warn-days': { type: 'string' },
  },
});
const users = Number(values.users);
const seed = Number(values.seed);
if (!Number.isInteger(users) || users < 2 || !Number.isInteger(seed)) {
  console.error(`--users must be a whole number >= 2 and --seed a whole number (got ${values.users}, ${values.seed})`);
  process.exit(2);
}
const warnDays = values['warn-days'] === undefined ? undefined : Number(values['warn-days']);
if (warnDays !== undefined && !(Number.isInteger(warnDays) && warnDays >= 0)) {
  console.error(`--warn-days must be a whole number >= 0 (got ${values['warn-days']})`);
  process.exit(2);
}

const { loadConfigFile } = await import('../lambdas/config/index.js');
const { runPlan } = await import('../lambdas/plan/index.js');
const { jsonLogger, silentLogger } = await import('../lambdas/shared/index.js');
const { AuditReader } = await import('../lambdas/store/index.js');
const { dryRunStream, runStream } = await import('../lambdas/domain/index.js');
const { envSecretResolver } = await import('../lambdas/shared/index.js');
const { createApproval, createPlanDeps, dynamoClientFor } = await import('../lambdas/wiring/index.js');
const { startLocalStack } = await import('../local/stack.js');
const { freePort } = await import('../local/ports.js');
const { startApprovalServer } = await import('../local/approval-server.js');
const { approveAsApprover } = await import('./demo-approve.js');
const { startSimulatedOrg } = await import('../local/simulated-org.js');
const { printPlan } = await import('./demo-report.js');
const { executeAsDemo } = await import('./demo-execute.js');
const { exitCodeOf } = await import('./execute-run.js');

const t0 = Date.now();
const step = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const base = loadConfigFile(fileURLToPath(new URL('../config/example.local.json', import.meta.url)));
step('Starting the local stack: DynamoDB Local, SES v2 emulator ...');
const stack = await startLocalStack();
step(
  `  DynamoDB Local ${stack.dynamo.endpoint}, SES emulator ${stack.ses.endpoint} (outbox at ${stack.ses.endpoint}/)`,
);
step(`Starting the Atlassian and Graph simulators with a synthetic org of ${users} people (seed ${seed}) ...`);
const sims = await startSimulatedOrg(base, { users, seed });
step(`  Atlassian ${sims.atlassian.url}, Graph ${sims.graph.url}`);
const reviewPort = await freePort();
const config =
  warnDays === undefined
    ? sims.config
    : { ...sims.config, execution: { ...sims.config.execution, warnBeforeDays: warnDays } };
const env = {
  tables: stack.tables,
  dynamoEndpoint: stack.dynamo.endpoint,
  sesEndpoint: stack.ses.endpoint,
  region: 'us-east-1',
  reviewBaseUrl: `http://127.0.0.1:${reviewPort}`,
};
const logger = values.verbose ? jsonLogger({ minLevel: 'debug' }) : silentLogger;
const approval = createApproval({ config, env, logger });
const review = await startApprovalServer((r) => approval.handle(r), { port: reviewPort });
step(`  review site ${review.url}`);
const stopAll = async () => {
  await review.stop();
  await sims.stop();
  await stack.stop();
};
let exitCode = 0;
try {
  const deps = await createPlanDeps({
    config,
    env,
    secrets: envSecretResolver({ ...process.env, ...sims.secretsEnv }),
    graphCa: sims.graph.ca,
    logger,
    handoff: approval.handoff,
    alert: approval.sendAlert,
  });
  const runId = `demo-${new Date().toISOString().slice(0, 16)}`;
  step(`Running the nightly plan (run id ${runId}) ...`);
  const result = await runPlan(deps, { runId, dryRun: values['dry-run'] });
  step(`Plan ${result.status}.`);
  if (result.items) {
    console.log(
      `\nDry run: ${result.items.length} items would be proposed; nothing was written but one audit record (${dryRunStream(runId)}). The first 15:`,
    );
    for (const i of result.items.slice(0, 15))
      console.log(`  ${i.action.padEnd(20)} ${(i.email ?? '(hidden)').padEnd(36)} ${i.summary}`);
    console.log('  (npm run lifecycle -- plan --dry-run prints every item, tab-separated, against a configured org.)');
  }
  const reader = new AuditReader(dynamoClientFor(env), stack.tables.audit);
  const verdict = await reader.verify(
    result.status === 'dry-run' ? dryRunStream(runId) : runStream(runId, result.attempt ?? 1),
  );
  printPlan({ result, config, atlassian: sims.atlassian.counters(), graph: sims.graph.counters(), audit: verdict });
  if (result.proposalId && (result.status === 'proposed' || result.status === 'needs-override')) {
    const mails = (await stack.ses.outbox()).filter((m) => m.subject.includes(result.proposalId!));
    console.log(
      `\nMailed to ${mails.length} approver(s): ${mails.map((m) => m.destination.to.join(', ')).join('; ')}  (read them at ${stack.ses.endpoint}/)`,
    );
    console.log(`  subject: ${mails[0]?.subject ?? '(none)'}`);
    if (values.approve && mails[0]) {
      step(`Approving as ${mails[0].destination.to[0]} through the review link ...`);
      await approveAsApprover(mails[0], {
        db: dynamoClientFor(env),
        tables: stack.tables,
        proposalId: result.proposalId,
      });
      step(`Executing the approved items (the execution state machine, run locally) ...`);
      const outcome = await executeAsDemo({
        config,
        env,
        logger,
        secrets: envSecretResolver({ ...process.env, ...sims.secretsEnv }),
        graphCa: sims.graph.ca,
        proposalId: result.proposalId,
        atlassian: sims.atlassian,
        ses: stack.ses,
        step,
      });
      // As `lifecycle execute`: a run that failed, or left an item FAILED, exits 1.
      if (exitCodeOf(outcome) !== 0) exitCode = 1;
    } else if (mails[0]) {
      console.log(
        '  Open the review link from the mail (npm run demo -- --keep), or let the demo approve it (--approve).',
      );
    }
  }
  if (values.keep) {
    console.log('\nRunning until Ctrl-C (--keep). The simulators and DynamoDB Local stay up.');
    const stop = () => void stopAll().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } else {
    await stopAll();
    step('Stopped everything.');
    process.exitCode = exitCode;
  }
} catch (err) {
  await stopAll();
  console.error(`\nThe demo failed: ${(err as Error).message}`);
  process.exit(1);
}
