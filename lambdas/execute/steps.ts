/**
 * The state machine's Task steps, as one dispatcher: the Lambda handler and the local interpreter
 * both call it, so the same code runs on AWS and on the embedded stack.
 */
import { runChunk, type ChunkReport } from './chunk.js';
import { finish, recordFailure, type FinishReport } from './finish.js';
import type { ExecDeps } from './ports.js';
import { prepare, type Prepared } from './prepare.js';
import { SYSTEM_EXECUTOR } from './streams.js';
import { Round } from '../domain/execution.js';

export type StepInput =
  | { readonly step: 'prepare'; readonly proposalId: string; readonly startedBy?: string }
  | { readonly step: 'chunk'; readonly proposalId: string; readonly round: Round; readonly index: number }
  | { readonly step: 'finish'; readonly proposalId: string; readonly round: Round }
  | {
      readonly step: 'fail';
      readonly proposalId: string;
      readonly error?: { readonly Error?: string; readonly Cause?: string };
    };

export type StepOutput = Prepared | ChunkReport | FinishReport | { readonly recorded: true };

const ROUNDS = new Set<string>(Object.values(Round));

/** Refuses a malformed step input with a message naming the field (the input comes from outside the core). */
function check(input: unknown): StepInput {
  const i = input as Record<string, unknown>;
  if (!i || typeof i !== 'object') throw new TypeError('an execution step takes an object input');
  if (typeof i.proposalId !== 'string' || i.proposalId === '')
    throw new TypeError(
      `execution step input: proposalId must be a non-empty string, got ${JSON.stringify(i.proposalId)}`,
    );
  if (typeof i.step !== 'string' || !['prepare', 'chunk', 'finish', 'fail'].includes(i.step))
    throw new TypeError(
      `execution step input: step must be prepare, chunk, finish or fail, got ${JSON.stringify(i.step)}`,
    );
  if ((i.step === 'chunk' || i.step === 'finish') && !(typeof i.round === 'string' && ROUNDS.has(i.round)))
    throw new TypeError(
      `execution step input: round must be one of ${[...ROUNDS].join(', ')}, got ${JSON.stringify(i.round)}`,
    );
  if (i.step === 'chunk' && !(Number.isInteger(i.index) && (i.index as number) >= 0))
    throw new TypeError(`execution step input: index must be a whole number >= 0, got ${JSON.stringify(i.index)}`);
  if (!['prepare', 'chunk', 'finish', 'fail'].includes(String(i.step)))
    throw new TypeError(
      `execution step input: step must be prepare, chunk, finish or fail, got ${JSON.stringify(i.step)}`,
    );
  return i as unknown as StepInput;
}

/** Step Functions hands a Catch's error as { Error, Cause }, where Cause may be the Lambda's JSON error. */
function errorOf(e: { Error?: string; Cause?: string } | undefined): { name: string; message: string } {
  let message = e?.Cause || 'unknown error';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: string };
    if (parsed.errorMessage) message = parsed.errorMessage;
  } catch {
    // a plain-text cause
  }
  return { name: e?.Error ?? 'Error', message };
}

export async function runStep(deps: ExecDeps, raw: unknown): Promise<StepOutput> {
  const input = check(raw);
  switch (input.step) {
    case 'prepare':
      return prepare(deps, input.proposalId, input.startedBy ?? SYSTEM_EXECUTOR);
    case 'chunk':
      return runChunk(deps, input);
    case 'finish':
      return finish(deps, input.proposalId, input.round);
    case 'fail':
      await recordFailure(deps, input.proposalId, errorOf(input.error));
      return { recorded: true };
  }
}
