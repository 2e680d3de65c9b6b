/**
 * The execution seam on AWS: starts the execution state machine (lib/execution-definition.ts) for
 * a proposal. The execution name is derived from the proposal id and the round, so Step Functions
 * itself refuses a second start of the same round (a retried approval, the hourly sweep): that
 * refusal, ExecutionAlreadyExists, means "already started" and is not an error.
 */
import { createHash } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { ExecutionStarter } from '../domain/ports.js';
import { ProposalStatus, type ProposalMeta } from '../domain/proposal.js';
import { Round } from '../domain/execution.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { jsonLogger, type Logger } from '../shared/logger.js';
import { DynamoProposalStore } from '../store/index.js';
import type { AwsClients } from './clients.js';
import type { RuntimeEnv } from './env.js';

/** Who starts the executions this starter starts (the execution record and the audit say so). */
export const APPROVAL_STARTER = 'system:approval';

/** Step Functions: 1-80 characters of A-Z, a-z, 0-9, `-` and `_` (no spaces, wildcards or controls). */
const MAX_NAME = 80;
const HASH_CHARS = 12;

/**
 * The execution name of one round of a proposal: the readable, sanitised id (cut to fit), the
 * round, and a hash of the exact id and round, so that two ids that sanitise or cut to the same
 * text never share a name.
 */
export function executionName(proposalId: string, round: Round): string {
  const hash = createHash('sha256').update(`${proposalId}\u0000${round}`).digest('hex').slice(0, HASH_CHARS);
  const suffix = `-${round}-${hash}`;
  const readable = proposalId.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, MAX_NAME - suffix.length);
  return `${readable}${suffix}`;
}

/**
 * The round a start is for, from the proposal's status: READY with items approved by configuration
 * runs those (`auto`), APPROVED runs everything approved (`main`). Anything else has nothing to run.
 */
export function roundOf(proposal: ProposalMeta | undefined): Round | undefined {
  if (proposal?.status === ProposalStatus.READY && (proposal.autoApproved ?? 0) > 0) return Round.AUTO;
  if (proposal?.status === ProposalStatus.APPROVED) return Round.MAIN;
  return undefined;
}

export interface SfnStarterDeps {
  readonly sfn: Pick<SFNClient, 'send'>;
  readonly stateMachineArn: string;
  readonly proposals: { get(proposalId: string): Promise<ProposalMeta | undefined> };
  readonly logger: Logger;
}

export class SfnExecutionStarter implements ExecutionStarter {
  constructor(private readonly deps: SfnStarterDeps) {
    if (!/^arn:aws[a-z-]*:states:/.test(deps.stateMachineArn))
      throw new Error(`SfnExecutionStarter needs a state machine ARN, got "${deps.stateMachineArn}"`);
  }

  async start(proposalId: string): Promise<void> {
    const { sfn, stateMachineArn, proposals, logger } = this.deps;
    const proposal = await proposals.get(proposalId);
    const round = roundOf(proposal);
    if (!round) {
      logger.log('warn', 'execution.not-started', {
        proposalId,
        status: proposal?.status ?? 'missing',
        message: 'nothing of this proposal is approved for execution',
      });
      return;
    }
    const name = executionName(proposalId, round);
    try {
      const out = await sfn.send(
        new StartExecutionCommand({
          stateMachineArn,
          name,
          input: JSON.stringify({ proposalId, startedBy: APPROVAL_STARTER }),
        }),
      );
      logger.log('info', 'execution.started', { proposalId, round, executionArn: out.executionArn });
    } catch (e) {
      if ((e as { name?: string }).name !== 'ExecutionAlreadyExists') throw e;
      logger.log('info', 'execution.already-started', { proposalId, round, name });
    }
  }
}

/**
 * The starter for this environment's state machine (`LIFECYCLE_EXECUTION_STATE_MACHINE_ARN`), or
 * undefined when none is deployed (then approved items wait, and the approval step says so).
 */
export function sfnStarterFor(w: {
  env: RuntimeEnv;
  clients: Pick<AwsClients, 'db'>;
  logger?: Logger;
  clock?: Clock;
  sfn?: Pick<SFNClient, 'send'>;
}): SfnExecutionStarter | undefined {
  const { stateMachineArn } = w.env;
  if (!stateMachineArn) return undefined;
  return new SfnExecutionStarter({
    sfn: w.sfn ?? new SFNClient({ region: w.env.region }),
    stateMachineArn,
    proposals: new DynamoProposalStore(w.clients.db, w.env.tables.state, w.clock ?? systemClock),
    logger: w.logger ?? jsonLogger(),
  });
}
