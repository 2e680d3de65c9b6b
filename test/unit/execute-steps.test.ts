import { describe, expect, it } from 'vitest';
import { runStep } from '../../lambdas/execute/index.js';
import { DepsTouchedError, untouchableDeps } from '../helpers/execute-fixtures.js';

const P = 'sched-2026-11-01';

/** Runs a step with deps that throw when read, and returns what it rejected with. */
async function rejection(input: unknown): Promise<unknown> {
  try {
    await runStep(untouchableDeps(), input);
  } catch (err) {
    return err;
  }
  throw new Error('the step resolved although its deps cannot be used');
}

describe('runStep: refuses malformed input before touching anything', () => {
  type Row = [string, unknown, RegExp];
  const rows: Row[] = [
    ['undefined', undefined, /takes an object input/],
    ['null', null, /takes an object input/],
    ['a string', 'prepare', /takes an object input/],
    ['a missing proposalId', { step: 'prepare' }, /proposalId must be a non-empty string, got undefined/],
    ['an empty proposalId', { step: 'prepare', proposalId: '' }, /proposalId must be a non-empty string, got ""/],
    ['a numeric proposalId', { step: 'finish', proposalId: 7, round: 'main' }, /proposalId .* got 7/],
    ['an unknown step', { step: 'deploy', proposalId: P }, /step must be prepare, chunk, finish or fail, got "deploy"/],
    ['a missing step', { proposalId: P }, /step must be .* got undefined/],
    [
      'a chunk without a round',
      { step: 'chunk', proposalId: P, index: 0 },
      /round must be one of auto, main, got undefined/,
    ],
    ['a chunk with an unknown round', { step: 'chunk', proposalId: P, round: 'MAIN', index: 0 }, /round .* got "MAIN"/],
    ['a finish with an unknown round', { step: 'finish', proposalId: P, round: 'all' }, /round .* got "all"/],
    ['a finish without a round', { step: 'finish', proposalId: P }, /round .* got undefined/],
    [
      'a chunk without an index',
      { step: 'chunk', proposalId: P, round: 'main' },
      /index must be a whole number >= 0, got undefined/,
    ],
    ['a negative index', { step: 'chunk', proposalId: P, round: 'main', index: -1 }, /index .* got -1/],
    ['a fractional index', { step: 'chunk', proposalId: P, round: 'auto', index: 1.5 }, /index .* got 1.5/],
    ['an index given as text', { step: 'chunk', proposalId: P, round: 'main', index: '2' }, /index .* got "2"/],
    ['a NaN index', { step: 'chunk', proposalId: P, round: 'main', index: Number.NaN }, /index .* got null/],
    ['an infinite index', { step: 'chunk', proposalId: P, round: 'main', index: Infinity }, /index .* got null/],
  ];
  it.each(rows)('%s', async (_, input, message) => {
    const err = await rejection(input);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(message);
  });

  // Well-formed input passes the check and reaches the deps (which then throw): proves the
  // refusals above come from the check, and that the check does not refuse the edges it should allow.
  const accepted: [string, unknown][] = [
    ['prepare', { step: 'prepare', proposalId: P }],
    ['chunk 0 of the main round', { step: 'chunk', proposalId: P, round: 'main', index: 0 }],
    ['chunk 12 of the auto round', { step: 'chunk', proposalId: P, round: 'auto', index: 12 }],
    ['finish', { step: 'finish', proposalId: P, round: 'main' }],
    ['fail, with no error', { step: 'fail', proposalId: P }],
    ['prepare with a stray round (not its field)', { step: 'prepare', proposalId: P, round: 'whatever' }],
  ];
  it.each(accepted)('accepts %s and goes on to use its deps', async (_, input) => {
    expect(await rejection(input)).toBeInstanceOf(DepsTouchedError);
  });

  // BUG (steps.ts:34 and 40): step and round are checked with String(value), so a one-element array
  // passes: { step: ['chunk'] } skips the round and index checks (they test `i.step === 'chunk'`),
  // matches no case of the switch, and runStep resolves `undefined` having done nothing. The Task
  // "succeeds" with no output instead of failing on its malformed input.
  it('refuses a step given as an array', async () => {
    const err = await rejection({ step: ['chunk'], proposalId: P });
    expect(err).toBeInstanceOf(TypeError);
  });

  // BUG (steps.ts:34): same for the round: ['main'] passes the check and reaches runChunk as an array.
  it('refuses a round given as an array', async () => {
    const err = await rejection({ step: 'chunk', proposalId: P, round: ['main'], index: 0 });
    expect(err).toBeInstanceOf(TypeError);
  });
});

describe('runStep fail: the Catch of the state machine', () => {
  /** The injected clock's time: the alert carries it, not the machine's. */
  const ALERT_AT = Date.parse('2026-11-03T04:05:06Z');
  /** Deps that record the audit entries and alerts of a fail step, and refuse anything else. */
  function recordingDeps() {
    const audited: { stream: string; entries: readonly Record<string, unknown>[] }[] = [];
    const alerts: { proposalId: string; reasons: readonly string[]; at?: number }[] = [];
    const parts: Record<string, unknown> = {
      audit: {
        append: async (stream: string, entries: readonly Record<string, unknown>[]) => {
          audited.push({ stream, entries });
          return [];
        },
      },
      mail: {
        alert: async (proposalId: string, reasons: readonly string[], at: number) => {
          expect(at).toBe(ALERT_AT);
          alerts.push({ proposalId, reasons });
        },
      },
      logger: { log: () => undefined },
      clock: { now: () => ALERT_AT },
    };
    const deps = new Proxy(parts, {
      get(target, prop) {
        if (prop in target) return target[prop as string];
        if (prop === 'then') return undefined;
        throw new DepsTouchedError(`the fail step read deps.${String(prop)}`);
      },
    });
    return { deps: deps as never, audited, alerts };
  }

  type Row = [string, unknown, string];
  const rows: Row[] = [
    [
      'a Lambda error whose Cause is its JSON error',
      { Error: 'NotExecutableError', Cause: JSON.stringify({ errorType: 'X', errorMessage: 'proposal is EXPIRED' }) },
      'NotExecutableError: proposal is EXPIRED',
    ],
    [
      'a plain-text Cause',
      { Error: 'States.Timeout', Cause: 'the task timed out' },
      'States.Timeout: the task timed out',
    ],
    [
      'a JSON Cause without errorMessage (kept as written)',
      { Error: 'States.Runtime', Cause: '{"detail":"x"}' },
      'States.Runtime: {"detail":"x"}',
    ],
  ];
  it.each(rows)('audits and alerts with %s', async (_, error, reason) => {
    const { deps, audited, alerts } = recordingDeps();
    expect(await runStep(deps, { step: 'fail', proposalId: P, error })).toEqual({ recorded: true });
    expect(alerts).toEqual([{ proposalId: P, reasons: [reason] }]);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.stream).toBe(`execution#${P}`);
    expect(audited[0]!.entries).toMatchObject([{ event: 'EXECUTION_FAILED', proposalId: P, outcome: 'failed' }]);
  });

  it('cuts a long message to 1,000 characters', async () => {
    const { deps, alerts } = recordingDeps();
    await runStep(deps, { step: 'fail', proposalId: P, error: { Error: 'E', Cause: 'x'.repeat(5000) } });
    expect(alerts[0]!.reasons[0]).toBe(`E: ${'x'.repeat(1000)}`);
  });

  // BUG (steps.ts:49 with finish.ts:83): with no Cause, errorOf returns message '' (not undefined), so
  // recordFailure's `?? 'unknown error'` never applies and the approvers are alerted with "Error: ".
  it('says the error is unknown when the Catch hands no Cause', async () => {
    const { deps, alerts } = recordingDeps();
    await runStep(deps, { step: 'fail', proposalId: P });
    expect(alerts[0]!.reasons[0]).toBe('Error: unknown error');
  });
});
