/** `lifecycle execute <proposalId>`: runs (or resumes) an approved proposal here. */
import type { Command } from 'commander';
import { globalsOf, loadConfig, printJson, run, stderrLogger } from './common.js';
import { progressLines } from './progress.js';
import { checkStore } from './store-check.js';

export function register(program: Command): void {
  program
    .command('execute')
    .description(
      "Execute an approved proposal: the deployed state machine's definition, run here against what the configuration points at. Run it again to resume a stopped or failed run (items are acted on exactly once). Progress on stderr; the outcome on stdout. Exit 0 when it ended with no failed item, 1 when it failed or an item failed.",
    )
    .argument('<proposalId>', 'the proposal to execute')
    .action(run('execute', executeAction));
}

async function executeAction(proposalId: string, _opts: unknown, cmd: Command): Promise<number> {
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const { runtimeEnv, createExecDeps } = await import('../../lambdas/wiring/index.js');
  const { executeProposal, formatOutcome, exitCodeOf } = await import('../execute-run.js');
  const env = runtimeEnv();
  await checkStore(env, ['state', 'audit', 'seats']);
  const deps = await createExecDeps({ config, env, logger: stderrLogger(g) });
  const progress = progressLines('execute');
  const result = await executeProposal(deps, proposalId, {
    progress: progress.line,
    startedBy: `cli:${process.env.USER ?? 'operator'}`,
  });
  progress.stop();
  if (g.json) printJson(result);
  else console.log(formatOutcome(result));
  return exitCodeOf(result);
}
