/**
 * The demo's execution step: runs the execution state machine locally against the simulators (as
 * `lifecycle execute` does) and prints the outcome, what the Atlassian simulator changed, and the
 * mails the run sent (warnings to people, results to the approvers) into the SES emulator.
 */
import type { Config } from '../lambdas/config/index.js';
import type { Logger, SecretResolver } from '../lambdas/shared/index.js';
import { createExecDeps, type RuntimeEnv } from '../lambdas/wiring/index.js';
import type { LocalSes } from '../local/ses.js';
import type { AtlassianSim } from '../test/sim/atlassian/index.js';
import { executeProposal, formatOutcome, type ExecuteOutcome } from './execute-run.js';

export async function executeAsDemo(o: {
  config: Config;
  env: RuntimeEnv;
  logger: Logger;
  secrets: SecretResolver;
  graphCa: string;
  proposalId: string;
  atlassian: AtlassianSim;
  ses: LocalSes;
  step: (msg: string) => void;
}): Promise<ExecuteOutcome> {
  const deps = await createExecDeps({
    config: o.config,
    env: o.env,
    logger: o.logger,
    secrets: o.secrets,
    graphCa: o.graphCa,
  });
  const before = o.atlassian.mutations().length;
  const startedSec = Math.floor(Date.now() / 1000) - 1;
  const result = await executeProposal(deps, o.proposalId, {
    progress: (line) => o.step(`  ${line}`),
    startedBy: 'demo',
  });
  console.log(`\n${formatOutcome(result)}`);
  const changes: Record<string, number> = {};
  for (const m of o.atlassian.mutations().slice(before))
    changes[`${m.kind} ${m.outcome}`] = (changes[`${m.kind} ${m.outcome}`] ?? 0) + 1;
  console.log(
    `  Atlassian simulator: ${
      Object.entries(changes)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ') || 'no change'
    }`,
  );
  const mails = await o.ses.outbox(startedSec);
  const warnings = mails.filter((m) => m.subject.startsWith('Your Atlassian account will be deactivated'));
  const others = mails.filter((m) => !warnings.includes(m));
  if (warnings.length > 0)
    console.log(
      `  ${warnings.length} warning mail(s) to people before deactivation (execution.warnBeforeDays ${o.config.execution.warnBeforeDays}; --warn-days 0 deactivates at once)`,
    );
  for (const m of others) console.log(`  mailed ${m.destination.to.join(', ')}: ${m.subject}`);
  return result;
}
