/** `lifecycle undo <proposalId> [--account ID]... (--operator EMAIL | --propose)`. */
import type { Command } from 'commander';
import { identifyOperator, stampAwsCaller } from './aws-caller.js';
import { globalsOf, loadConfig, printJson, run, stderrLogger, UsageError } from './common.js';
import { progressLines } from './progress.js';
import { checkStore } from './store-check.js';
import { collect, parseEmail } from './values.js';

interface UndoOpts {
  readonly account?: string[];
  readonly operator?: string;
  readonly propose?: boolean;
}

export function register(program: Command): void {
  program
    .command('undo')
    .description(
      'Reverse executed changes of a proposal (all of them, or the --account ones): reactivate deactivated accounts, move accounts back to the policy they were in. Builds a small undo proposal. --operator EMAIL: you approve it (recorded as the decider) and it is executed now; --propose: it is mailed to the approvers and executed once they approve it.',
    )
    .argument('<proposalId>', 'the executed proposal to undo')
    .option('--account <id>', 'only this account (repeatable, or comma-separated)', collect)
    .option('--operator <email>', 'you approve the undo, recorded as this email, and it runs now', parseEmail)
    .option('--propose', 'mail the undo proposal to the approvers instead')
    .action(run('undo', undoAction));
}

async function undoAction(sourceId: string, opts: UndoOpts, cmd: Command): Promise<number> {
  if ((opts.operator === undefined) === !opts.propose)
    throw new UsageError('give either --operator EMAIL (you approve the undo) or --propose (the approvers do).');
  const g = globalsOf(cmd);
  const config = loadConfig(g);
  const wiring = await import('../../lambdas/wiring/index.js');
  const { DynamoAuditLog, DynamoProposalStore } = await import('../../lambdas/store/index.js');
  const { systemClock } = await import('../../lambdas/shared/index.js');
  const { runUndo } = await import('../undo-run.js');
  const { formatOutcome, exitCodeOf } = await import('../execute-run.js');
  const env = wiring.runtimeEnv();
  if (opts.propose && wiring.reviewBaseUrlOf(config, env) === undefined)
    throw new UsageError('--propose mails review links: set approval.reviewBaseUrl or LIFECYCLE_REVIEW_BASE_URL.');
  // --operator against AWS: who runs this, asked once before anything is written; the operator's
  // records (the undo proposal and its approval) carry it in their details.
  const awsCaller = opts.operator !== undefined ? await identifyOperator(env) : undefined;
  await checkStore(env, ['state', 'audit', 'seats']);
  const logger = stderrLogger(g);
  const db = wiring.dynamoClientFor(env);
  const audit = new DynamoAuditLog(db, env.tables.audit, systemClock);
  const undoDeps = {
    config,
    clock: systemClock,
    proposals: new DynamoProposalStore(db, env.tables.state, systemClock),
    audit: stampAwsCaller(audit, `operator:${opts.operator}`, awsCaller),
  };
  type Handoff = ReturnType<typeof wiring.createApproval>['handoff'];
  const mode =
    opts.operator !== undefined
      ? { kind: 'operator' as const, operator: opts.operator }
      : {
          kind: 'propose' as const,
          requestedBy: `cli:${process.env.USER ?? 'operator'}`,
          send: (p: Parameters<Handoff>[0]) => wiring.createApproval({ config, env, logger }).handoff(p),
        };
  const exec = opts.operator !== undefined ? await wiring.createExecDeps({ config, env, logger }) : undefined;
  const progress = progressLines('undo');
  const result = await runUndo({ exec: exec!, undo: undoDeps }, sourceId, opts.account, mode, progress.line);
  progress.stop();
  if (g.json) printJson(result);
  if (!result.executed) {
    if (!g.json) console.log(`${result.proposal.proposalId}: ${result.items} item(s) sent to the approvers`);
    return 0;
  }
  if (!g.json) console.log(formatOutcome(result.executed));
  return exitCodeOf(result.executed);
}
