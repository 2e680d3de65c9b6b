/** `lifecycle plan [--dry-run] [--as-of DATE] [--run-id ID]`: the nightly plan, now. */
import type { Command } from 'commander';
import type { PlanResult } from '../../lambdas/plan/index.js';
import { CliError, ExitCode, UsageError, globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { holdAudit, withPageProgress } from './plan-ports.js';
import { progressLines } from './progress.js';
import { checkStore } from './store-check.js';
import { parseAsOfOption, parseRunId } from './values.js';

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
    .option('--dry-run', 'evaluate and print what would be proposed; store nothing but one audit record')
    .option('--as-of <date>', "the plan's today: YYYY-MM-DD (00:00 UTC) or an ISO instant (replays)", parseAsOfOption)
    .option('--run-id <id>', 'run id (letters, digits, . _ : + -; at most 200): default manual-<now>', parseRunId)
    .addHelpText(
      'after',
      '\nOutput: the dry run prints one tab-separated line per item (action, email, name, reason, summary) on stdout\nand a summary on stderr; --json prints the whole result. A safety block (break-glass) exits 3.',
    )
    .action(run('plan', planAction));
}

async function planAction(opts: PlanOpts, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, createApproval, createPlanDeps, reviewBaseUrlOf } = await import('../../lambdas/wiring/index.js');
  const { runPlan, planAsOf, parseAsOf } = await import('../../lambdas/plan/index.js');
  const { dryRunStream } = await import('../../lambdas/domain/index.js');
  refuseUnapprovableAsOf(opts, config.approval.tokenLifetimeHours, parseAsOf);
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
  const wired = await createPlanDeps({
    config,
    env,
    logger,
    ...(approval && { handoff: approval.handoff, alert: approval.sendAlert }),
  });
  const runId = opts.runId ?? `manual-${new Date().toISOString()}`;
  const progress = progressLines('plan');
  const dated = opts.asOf !== undefined ? planAsOf(wired, opts.asOf, '--as-of') : wired;
  const deps = withPageProgress(dated, progress);
  const held = holdAudit(deps, dryRunStream(runId));
  let result: PlanResult;
  try {
    result = await runPlan(opts.dryRun ? held.deps : deps, { runId, dryRun: opts.dryRun ?? false });
  } finally {
    progress.stop();
  }
  print(result, g.json ?? false);
  if (opts.dryRun) {
    // Printed first: the dry run's result is shown even when its audit record cannot be written.
    try {
      await held.flush();
    } catch (err) {
      throw new CliError(
        `the dry run's result is above, but its audit record (stream ${dryRunStream(runId)}) was not written: ${(err as Error).name}: ${(err as Error).message}`,
      );
    }
  }
  return result.status === 'blocked' || (result.status === 'dry-run' && blockedDryRun(result))
    ? ExitCode.SAFETY
    : ExitCode.OK;
}

/** A dry run reports a break-glass problem among its reasons; the real run would be blocked. */
function blockedDryRun(result: PlanResult): boolean {
  return result.reasons.some((r) => /break-glass/i.test(r));
}

function print(result: PlanResult, json: boolean): void {
  if (json) return printJson(result);
  if (result.items) {
    console.log(['action', 'email', 'name', 'reason', 'summary'].join('\t'));
    for (const i of result.items)
      console.log([i.action, i.email ?? '(hidden)', i.name ?? '', i.reason, i.summary].join('\t'));
  }
  const { items: _items, ...rest } = result;
  console.error(JSON.stringify(rest, null, 2));
}

/**
 * A real (not dry) plan as of a day further back than the approval window would store a proposal
 * already past its decision deadline: no one could approve it. Refused before anything is read.
 */
function refuseUnapprovableAsOf(
  opts: PlanOpts,
  lifetimeHours: number,
  parse: (value: string) => number | undefined,
): void {
  if (opts.dryRun || opts.asOf === undefined) return;
  const at = parse(opts.asOf);
  if (at === undefined || at >= Date.now() - lifetimeHours * 3_600_000) return;
  throw new UsageError(
    `--as-of ${opts.asOf} is more than approval.tokenLifetimeHours (${lifetimeHours} h) ago: its proposal would be past its decision deadline when stored, so no one could approve it. Replay an earlier day with --dry-run, or use a day within the last ${lifetimeHours} hours. Nothing was read or written.`,
  );
}
