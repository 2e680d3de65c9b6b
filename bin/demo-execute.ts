/**
 * The demo's execution step: runs the execution state machine locally against the simulators (as
 * `lifecycle execute` does) and prints the outcome, what the Atlassian simulator changed, and the
 * mails the run sent (warnings to people, results to the approvers) into the SES emulator. When
 * deactivations wait for the grace period after their warning mail, the demo fast-forwards its
 * clock past it and runs execute again, as the scheduler would then.
 */
import type { Config } from '../lambdas/config/index.js';
import { systemClock, type Clock, type Logger, type SecretResolver } from '../lambdas/shared/index.js';
import { createExecDeps, type RuntimeEnv } from '../lambdas/wiring/index.js';
import type { LocalSes } from '../local/ses.js';
import type { AtlassianSim } from '../test/sim/atlassian/index.js';
import { isWarning } from './demo-outputs.js';
import { executeProposal, exitCodeOf, formatOutcome, type ExecuteOutcome } from './execute-run.js';

interface DemoExecution {
  config: Config;
  env: RuntimeEnv;
  logger: Logger;
  secrets: SecretResolver;
  graphCa: string;
  proposalId: string;
  atlassian: AtlassianSim;
  ses: LocalSes;
  step: (msg: string) => void;
  /** @default systemClock */
  clock?: Clock;
}

export async function executeAsDemo(o: DemoExecution): Promise<ExecuteOutcome> {
  const deps = await createExecDeps({
    config: o.config,
    env: o.env,
    logger: o.logger,
    secrets: o.secrets,
    graphCa: o.graphCa,
    ...(o.clock && { clock: o.clock }),
  });
  const before = o.atlassian.mutations().length;
  // The mails this run sent are the ones not in the outbox before it (a time window would also
  // catch the proposal mails sent a moment before, and print them as if this run had sent them).
  const earlier = new Set((await o.ses.outbox()).map((m) => m.messageId));
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
  const mails = (await o.ses.outbox()).filter((m) => !earlier.has(m.messageId));
  const warnings = mails.filter(isWarning);
  const others = mails.filter((m) => !isWarning(m));
  if (warnings.length > 0)
    console.log(
      `  ${warnings.length} warning mail(s) to people before deactivation (execution.warnBeforeDays ${o.config.execution.warnBeforeDays}; --warn-days 0 deactivates at once)`,
    );
  for (const m of others) console.log(`  mailed ${m.destination.to.join(', ')}: ${m.subject}`);
  return result;
}

/** A clock `offsetMs` ahead of the system's. */
function aheadBy(offsetMs: number): Clock {
  return { now: () => systemClock.now() + offsetMs, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
}

/**
 * Executes, and when items wait for their grace period, runs again on a clock just past it.
 * Returns the clock the last run used (the seat report is dated by it) and whether it all went well.
 */
export async function executeThroughGrace(o: DemoExecution): Promise<{ clock: Clock; ok: boolean }> {
  o.step('Executing the approved items (the execution state machine, run locally) ...');
  const first = await executeAsDemo(o);
  if (exitCodeOf(first) !== 0) return { clock: systemClock, ok: false };
  if (!first.resumeAt || first.outcome.waiting === 0) return { clock: systemClock, ok: true };
  const clock = aheadBy(Date.parse(first.resumeAt) - Date.now() + 60_000);
  o.step(`Fast-forward to ${new Date(clock.now()).toISOString()}, past the grace period, and execute again ...`);
  const second = await executeAsDemo({ ...o, clock });
  return { clock, ok: exitCodeOf(second) === 0 && second.outcome.waiting === 0 };
}
