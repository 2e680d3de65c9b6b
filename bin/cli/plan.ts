/** `lifecycle plan [--dry-run] [--as-of DATE] [--run-id ID]`: the nightly plan, now. */
import type { Command } from 'commander';
import { ExitCode, globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { checkStore } from './store-check.js';
import { parseRunId } from './values.js';

interface PlanOpts {
  readonly runId?: string;
  readonly dryRun?: boolean;
  readonly asOf?: string;
}

export function register(program: Command): void {
  program
    .command('plan')
    .description(
      'Run the nightly plan now: read the org, evaluate the rules, store the proposal and mail it to the approvers. --dry-run prints what would be proposed and writes nothing but one audit record.',
    )
    .option('--dry-run', 'evaluate and print; store nothing but one audit record')
    .option('--run-id <id>', 'the run id (letters, digits and . _ : + -, at most 200 characters)', parseRunId)
    .action(run('plan', planAction));
}

async function planAction(opts: PlanOpts, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, createApproval, createPlanDeps, reviewBaseUrlOf } = await import('../../lambdas/wiring/index.js');
  const { runPlan } = await import('../../lambdas/plan/index.js');
  const env = runtimeEnv();
  await checkStore(env, ['state', 'audit', 'seats']);
  const logger = stderrLogger(g);
  // As the scheduled function does: a READY proposal is mailed to the approvers, a blocked or
  // failed run is mailed as an alert. Without a review URL there is no link to mail.
  const reviewable = reviewBaseUrlOf(config, env) !== undefined;
  const approval = reviewable ? createApproval({ config, env, logger }) : undefined;
  if (!reviewable && !opts.dryRun)
    console.error(
      'Note: approval.reviewBaseUrl (or LIFECYCLE_REVIEW_BASE_URL) is not set: the proposal is stored but not mailed.',
    );
  const deps = await createPlanDeps({
    config,
    env,
    logger,
    ...(approval && { handoff: approval.handoff, alert: approval.sendAlert }),
  });
  const runId = opts.runId ?? `manual-${new Date().toISOString()}`;
  const result = await runPlan(deps, { runId, dryRun: opts.dryRun ?? false });
  if (g.json) printJson(result);
  else {
    if (result.items) {
      console.log(['action', 'email', 'name', 'reason', 'summary'].join('\t'));
      for (const i of result.items)
        console.log([i.action, i.email ?? '(hidden)', i.name ?? '', i.reason, i.summary].join('\t'));
    }
    const { items: _items, ...rest } = result;
    console.error(JSON.stringify(rest, null, 2));
  }
  return result.status === 'blocked' ? ExitCode.SAFETY : ExitCode.OK;
}
