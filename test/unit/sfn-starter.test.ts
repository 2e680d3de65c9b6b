import { ExecutionAlreadyExists, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import type { ProposalMeta } from '../../lambdas/domain/proposal.js';
import type { Logger } from '../../lambdas/shared/logger.js';
import { runtimeEnv } from '../../lambdas/wiring/env.js';
import {
  APPROVAL_STARTER,
  SfnExecutionStarter,
  executionName,
  sfnStarterFor,
} from '../../lambdas/wiring/sfn-starter.js';

const ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:Execution';

const proposal = (status: ProposalMeta['status'], fields: Partial<ProposalMeta> = {}): ProposalMeta => ({
  proposalId: 'p-1',
  runId: 'plan-2026-01-01T02:00:00Z',
  orgId: 'org-1',
  status,
  createdAt: '2026-01-01T02:00:00Z',
  ...fields,
});

/** A fake SFN client with Step Functions' own rule: a name is started once, a second start is refused. */
function fakeSfn(fail?: Error) {
  const started = new Map<string, { stateMachineArn?: string; input?: string }>();
  return {
    started,
    send: async (command: unknown) => {
      if (fail) throw fail;
      expect(command).toBeInstanceOf(StartExecutionCommand);
      const input = (command as StartExecutionCommand).input;
      if (started.has(input.name!))
        throw new ExecutionAlreadyExists({ message: `Execution Already Exists: '${input.name}'`, $metadata: {} });
      started.set(input.name!, input);
      return { executionArn: `${ARN.replace('stateMachine', 'execution')}:${input.name}`, startDate: new Date() };
    },
  };
}

function starter(meta: ProposalMeta | undefined, sfn = fakeSfn()) {
  const logs: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger: Logger = { log: (level, message, fields) => logs.push({ level, message, fields }) };
  const s = new SfnExecutionStarter({
    sfn: sfn as never,
    stateMachineArn: ARN,
    proposals: { get: async () => meta },
    logger,
  });
  return { s, sfn, logs };
}

describe('executionName', () => {
  it('is deterministic, within 80 characters of [A-Za-z0-9-_], and names the round', () => {
    for (const id of ['p-1', 'prop 2026/01/01 #3 ünïcode', 'x'.repeat(300), '', '::::']) {
      for (const round of ['auto', 'main'] as const) {
        const name = executionName(id, round);
        expect(name).toBe(executionName(id, round));
        expect(name).toMatch(/^[A-Za-z0-9_-]{1,80}$/);
        expect(name).toContain(`-${round}-`);
      }
    }
    expect(executionName('prop-2026-01-01', 'main')).toMatch(/^prop-2026-01-01-main-[0-9a-f]{12}$/);
  });

  it('never gives two ids the same name, even when they sanitise or cut to the same text', () => {
    const ids = ['a/b', 'a:b', 'a b', 'a_b', 'y'.repeat(100) + '1', 'y'.repeat(100) + '2'];
    const names = ids.map((id) => executionName(id, 'main'));
    expect(new Set(names).size).toBe(ids.length);
    expect(executionName('p-1', 'auto')).not.toBe(executionName('p-1', 'main'));
  });
});

describe('SfnExecutionStarter', () => {
  it('starts the main round of an APPROVED proposal with the proposal id and who started it', async () => {
    const { s, sfn } = starter(proposal('APPROVED'));
    await s.start('p-1');
    expect([...sfn.started.entries()]).toEqual([
      [
        executionName('p-1', 'main'),
        expect.objectContaining({
          stateMachineArn: ARN,
          input: JSON.stringify({ proposalId: 'p-1', startedBy: APPROVAL_STARTER }),
        }),
      ],
    ]);
  });

  it('starts the auto round of a READY proposal with items approved by configuration', async () => {
    const { s, sfn } = starter(proposal('READY', { autoApproved: 3 }));
    await s.start('p-1');
    expect([...sfn.started.keys()]).toEqual([executionName('p-1', 'auto')]);
  });

  it('treats a second start of the same round as already started (Step Functions refuses it)', async () => {
    const { s, sfn, logs } = starter(proposal('APPROVED'));
    await s.start('p-1');
    await expect(s.start('p-1')).resolves.toBeUndefined();
    expect(sfn.started.size).toBe(1);
    expect(logs.map((l) => l.message)).toEqual(['execution.started', 'execution.already-started']);
  });

  it('starts nothing, and says so, for a proposal with nothing approved for execution', async () => {
    for (const meta of [
      undefined,
      proposal('READY'),
      proposal('READY', { autoApproved: 0 }),
      proposal('REJECTED'),
      proposal('EXPIRED'),
      proposal('ABANDONED'),
    ]) {
      const { s, sfn, logs } = starter(meta);
      await s.start('p-1');
      expect(sfn.started.size).toBe(0);
      expect(logs).toEqual([expect.objectContaining({ level: 'warn', message: 'execution.not-started' })]);
    }
  });

  it('lets any other failure of StartExecution through', async () => {
    const denied = Object.assign(new Error('not authorized to perform states:StartExecution'), {
      name: 'AccessDeniedException',
    });
    const { s } = starter(proposal('APPROVED'), fakeSfn(denied));
    await expect(s.start('p-1')).rejects.toThrow(/states:StartExecution/);
  });

  it('refuses something that is not a state machine ARN', () => {
    expect(
      () =>
        new SfnExecutionStarter({
          sfn: fakeSfn() as never,
          stateMachineArn: 'Execution',
          proposals: { get: async () => undefined },
          logger: { log: () => undefined },
        }),
    ).toThrow(/state machine ARN/);
  });

  it('is wired only when the environment names a state machine', () => {
    const clients = { db: {} as never };
    expect(sfnStarterFor({ env: runtimeEnv({}), clients })).toBeUndefined();
    const env = runtimeEnv({ LIFECYCLE_EXECUTION_STATE_MACHINE_ARN: ARN });
    expect(env.stateMachineArn).toBe(ARN);
    expect(sfnStarterFor({ env, clients, sfn: fakeSfn() as never })).toBeInstanceOf(SfnExecutionStarter);
  });
});
