/**
 * `lifecycle approve|reject <proposalId> [--items …] --operator <email>`: an approver's decision,
 * recorded as that approver, with the review page's rules, quorum, caps and audit (ballot.ts).
 */
import type { Command } from 'commander';
import type { Settlement } from '../../lambdas/approval/settle.js';
import { Refusal } from '../../lambdas/approval/refusals.js';
import { CliError, ExitCode, globalsOf, loadConfig, printJson, run, SafetyBlockError, stderrLogger } from './common.js';
import { identifyOperator } from './aws-caller.js';
import { castAsOperator } from './ballot.js';
import { checkStore } from './store-check.js';
import { collect, parseEmail } from './values.js';

interface BallotOpts {
  readonly operator: string;
  readonly items?: string[];
  readonly override?: boolean;
}

export function register(program: Command): void {
  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(decision)
      .description(
        decision === 'approve'
          ? 'Approve a proposal as one of approval.approvers: all its pending items, or only the --items ones. Same rules, quorum, caps and audit as the review page; once the quorum approves, run `lifecycle execute <id>` (or the deployed state machine starts it).'
          : 'Reject a proposal as one of approval.approvers; with --items, reject only those items and approve the rest. Same rules, quorum and audit as the review page.',
      )
      .argument('<proposalId>', 'the proposal (see `lifecycle proposals list`)')
      .requiredOption('--operator <email>', 'you: one of approval.approvers, recorded as the decider', parseEmail)
      .option(
        '--items <ids>',
        decision === 'approve'
          ? 'approve only these (account ids or emails; repeatable or comma-separated)'
          : 'reject only these and approve the rest',
        collect,
      )
      .option('--override', "approve a proposal over the caps (the page's override box)")
      .action(run(decision, ballotAction(decision)));
  }
}

function ballotAction(decision: 'approve' | 'reject') {
  return async (proposalId: string, opts: BallotOpts, cmd: Command): Promise<number> => {
    const g = globalsOf(cmd);
    const config = loadConfig(g);
    const { runtimeEnv, approvalDeps, awsClients } = await import('../../lambdas/wiring/index.js');
    const env = runtimeEnv();
    // Against AWS: who runs this, asked once before anything is read or written (locally: undefined).
    const awsCaller = await identifyOperator(env);
    await checkStore(env, ['state', 'audit']);
    const clients = awsClients(env);
    const deps = approvalDeps({
      config,
      db: clients.db,
      ses: clients.ses,
      tables: env.tables,
      logger: stderrLogger(g),
    });
    const result = await castAsOperator(deps, {
      proposalId,
      operator: opts.operator,
      decision,
      ...(opts.items && { items: opts.items }),
      override: opts.override ?? false,
      ...(awsCaller && { awsCaller }),
    });
    if (!result.ok) {
      const message = `refused (${result.refusal}): ${result.detail.replace(/\.?$/, '.')}`;
      if (result.refusal === Refusal.OVERRIDE_REQUIRED)
        throw new SafetyBlockError(`${message} The proposal is over the caps: add --override if you mean it.`);
      throw new CliError(message);
    }
    if (g.json) printJson(result);
    else
      console.log(
        `${proposalId}: ${result.ballot.decision} recorded as ${result.ballot.approver}${awsCaller ? ` (AWS caller ${awsCaller.arn})` : ''}. ${settled(proposalId, result.settlement)}`,
      );
    return ExitCode.OK;
  };
}

function settled(id: string, s: Settlement): string {
  switch (s.kind) {
    case 'pending':
      return `Waiting for the quorum: ${s.approvals} of ${s.needed} approvals.`;
    case 'approved':
      return `Approved by ${s.by.join(', ')}: ${s.approved} item(s) approved, ${s.rejected} rejected. Execute with \`lifecycle execute ${id}\` (on AWS the state machine starts it).`;
    case 'rejected':
      return `Rejected by ${s.by.join(', ')}: ${s.why}; ${s.rejected} item(s) rejected, nothing will be executed.`;
    case 'already-decided':
      return `The proposal was already decided (${s.status ?? 'unknown'}).`;
  }
}
