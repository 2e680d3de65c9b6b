#!/usr/bin/env node
// npm run demo [-- --approve --users N --seed S --fixture FILE --as-of DATE --warn-days N --out DIR --dry-run --keep]:
// the whole job on the embedded local stack. Starts DynamoDB Local, the SES v2 emulator, the review
// site and the Atlassian and Graph simulators (a synthetic org, or --fixture); runs the nightly plan
// (with progress) with config/example.local.json pointed at them and mails the proposal to the
// approvers (into the emulator). With --approve: approves it through the review link as an approver
// would, executes it (the execution state machine, run locally: moves now, warning mails before
// deactivations), fast-forwards past the grace period and executes the deactivations, mails the
// results; then the monthly seat report with its chart; verifies every audit chain; writes the mails
// (.eml, .html), CSVs and chart PNG to the outputs folder it names; and stops everything (unless --keep).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoArgs } from './demo-args.js';

const args = demoArgs();
const { loadConfigFile } = await import('../lambdas/config/index.js');
const { runPlan, planAsOf } = await import('../lambdas/plan/index.js');
const { jsonLogger, silentLogger, envSecretResolver, systemClock } = await import('../lambdas/shared/index.js');
const { AuditReader } = await import('../lambdas/store/index.js');
const { dryRunStream, runStream } = await import('../lambdas/domain/index.js');
const { createApproval, createPlanDeps, dynamoClientFor } = await import('../lambdas/wiring/index.js');
const { startLocalStack } = await import('../local/stack.js');
const { freePort } = await import('../local/ports.js');
const { startApprovalServer } = await import('../local/approval-server.js');
const { startSimulatedOrg } = await import('../local/simulated-org.js');
const { approveAsApprover } = await import('./demo-approve.js');
const { printPlan } = await import('./demo-report.js');
const { executeThroughGrace } = await import('./demo-execute.js');
const { seatReport, verifyChains } = await import('./demo-finish.js');
const { saveMails } = await import('./demo-outputs.js');
const { withPageProgress } = await import('./cli/plan-ports.js');
const { progressLines } = await import('./cli/progress.js');

const t0 = Date.now();
const step = (msg: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);
const base = loadConfigFile(fileURLToPath(new URL('../config/example.local.json', import.meta.url)));
step(`Outputs (mails as .eml and .html, CSVs, chart PNG) go to ${args.outDir}`);
step('Starting the local stack: DynamoDB Local, SES v2 emulator ...');
const stack = await startLocalStack().catch((err: Error) => {
  console.error(`\nThe demo failed: the local stack did not start: ${err.message}`);
  process.exit(1);
});
step(
  `  DynamoDB Local ${stack.dynamo.endpoint}, SES emulator ${stack.ses.endpoint} (outbox at ${stack.ses.endpoint}/)`,
);
step(
  args.org
    ? `Starting the Atlassian and Graph simulators with the fixture ${args.fixture} (${args.org.people.length} people) ...`
    : `Starting the Atlassian and Graph simulators with a synthetic org of ${args.users} people (seed ${args.seed}) ...`,
);
const sims = await startSimulatedOrg(base, { users: args.users, seed: args.seed, ...(args.org && { org: args.org }) });
step(`  Atlassian ${sims.atlassian.url}, Graph ${sims.graph.url}`);
const reviewPort = await freePort();
const simsConfig =
  args.warnDays === undefined
    ? sims.config
    : { ...sims.config, execution: { ...sims.config.execution, warnBeforeDays: args.warnDays } };
// Approvers sign in at a local OpenID Provider laid out like the Entra tenant (the app registration's
// client id and secret). Not with --as-of: the provider signs its tokens on today's clock, the site
// would judge them on the plan's; that run says links alone decide.
const { startApproverSignIn } = await import('../local/approver-sign-in.js');
const signIn = args.asOf
  ? undefined
  : await startApproverSignIn(
      simsConfig,
      `http://127.0.0.1:${reviewPort}`,
      sims.secretsEnv[base.entra.clientSecret.source === 'env' ? base.entra.clientSecret.name : '']!,
    );
const config = signIn?.config ?? {
  ...simsConfig,
  approval: { ...simsConfig.approval, signIn: { ...simsConfig.approval.signIn, mode: 'off' as const } },
};
step(
  signIn
    ? `  approver sign-in: local OpenID Provider ${signIn.oidc.issuer} (approvers sign in with password "${signIn.users[0]!.password}")`
    : '  approver sign-in: off for this --as-of run (links alone decide)',
);
const env = {
  tables: stack.tables,
  dynamoEndpoint: stack.dynamo.endpoint,
  sesEndpoint: stack.ses.endpoint,
  region: 'us-east-1',
  reviewBaseUrl: `http://127.0.0.1:${reviewPort}`,
};
const logger = args.verbose ? jsonLogger({ minLevel: 'debug' }) : silentLogger;
const secrets = envSecretResolver({ ...process.env, ...sims.secretsEnv });
// With --as-of the approval step lives on the plan's clock too: the proposal's deadline is counted from its day.
const { clockFrom, parseAsOf } = await import('../lambdas/plan/as-of.js');
const planClock = args.asOf ? clockFrom(parseAsOf(args.asOf)!, systemClock) : systemClock;
const approval = createApproval({ config, env, logger, clock: planClock, secrets });
const review = await startApprovalServer((r) => approval.handle(r), { port: reviewPort });
step(`  review site ${review.url}`);
const stopAll = async () => {
  await review.stop();
  await signIn?.stop();
  await sims.stop();
  await stack.stop();
};
let exitCode = 0;
try {
  const wired = await createPlanDeps({
    config,
    env,
    secrets,
    graphCa: sims.graph.ca,
    logger,
    handoff: approval.handoff,
    alert: approval.sendAlert,
  });
  // A bar on a terminal; otherwise lines on the demo's own clock, at most one a second.
  let last = 0;
  const progress = process.stdout.isTTY
    ? progressLines('plan', process.stdout)
    : {
        line: step,
        update: (value: number, _total: number | undefined, label: string) => {
          if (Date.now() - last < 1000) return;
          last = Date.now();
          step(`  plan: ${value} ${label}`);
        },
        stop: () => undefined,
      };
  const deps = withPageProgress(args.asOf ? planAsOf(wired, args.asOf, '--as-of') : wired, progress);
  const runId = `demo-${new Date().toISOString().slice(0, 16)}`;
  step(`Running the nightly plan (run id ${runId}${args.asOf ? `, as of ${args.asOf}` : ''}) ...`);
  const result = await runPlan(deps, { runId, dryRun: args.dryRun });
  progress.stop();
  step(`Plan ${result.status}.`);
  if (result.items) {
    console.log(
      `\nDry run: ${result.items.length} items would be proposed; nothing was written but one audit record (${dryRunStream(runId)}). The first 15:`,
    );
    for (const i of result.items.slice(0, 15))
      console.log(`  ${i.action.padEnd(20)} ${(i.email ?? '(hidden)').padEnd(36)} ${i.summary}`);
  }
  const reader = new AuditReader(dynamoClientFor(env), stack.tables.audit);
  const planStream = result.status === 'dry-run' ? dryRunStream(runId) : runStream(runId, result.attempt ?? 1);
  const verdict = await reader.verify(planStream);
  printPlan({ result, config, atlassian: sims.atlassian.counters(), graph: sims.graph.counters(), audit: verdict });
  let clock = systemClock;
  if (result.proposalId && (result.status === 'proposed' || result.status === 'needs-override')) {
    const mails = (await stack.ses.outbox()).filter((m) => m.subject.includes(result.proposalId!));
    console.log(
      `\nMailed to ${mails.length} approver(s): ${mails.map((m) => m.destination.to.join(', ')).join('; ')}  (read them at ${stack.ses.endpoint}/)`,
    );
    console.log(`  subject: ${mails[0]?.subject ?? '(none)'}`);
    if (args.approve && mails[0]) {
      step(`Approving as ${mails[0].destination.to[0]} through the review link ...`);
      await approveAsApprover(mails[0], {
        ...(signIn && { password: signIn.users[0]!.password }),
        db: dynamoClientFor(env),
        tables: stack.tables,
        proposalId: result.proposalId,
      });
      const run = await executeThroughGrace({
        config,
        env,
        logger,
        secrets,
        graphCa: sims.graph.ca,
        proposalId: result.proposalId,
        atlassian: sims.atlassian,
        ses: stack.ses,
        step,
      });
      clock = run.clock;
      if (!run.ok) exitCode = 1;
    } else if (mails[0]) {
      console.log(
        '  Open the review link from the mail (npm run demo -- --keep), or let the demo approve it (--approve).',
      );
    }
  }
  if (!args.dryRun) {
    step('Monthly seat report (chart and CSVs) ...');
    await seatReport({ config, env, secrets, clock, outDir: args.outDir });
  }
  step('Verifying the audit chains ...');
  if (!(await verifyChains(reader, [planStream], result.proposalId))) exitCode = 1;
  const saved = await saveMails(stack.ses, args.outDir);
  // The Atlassian simulator's own record of every change it applied (or refused).
  writeFileSync(
    join(args.outDir, 'atlassian-mutations.json'),
    `${JSON.stringify(sims.atlassian.mutations(), null, 1)}\n`,
  );
  step(
    `Outputs in ${args.outDir}: ${saved.mails} mail(s) sent${saved.warningsLeftOut > 0 ? ` (${saved.warningsLeftOut} more warning mails alike left out)` : ''}; files: mails .eml/.html, CSVs, seats chart PNG, atlassian-mutations.json`,
  );
  if (args.keep) {
    console.log('\nRunning until Ctrl-C (--keep). The simulators, the review site and DynamoDB Local stay up.');
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
