/**
 * One chunk of an execution: warn, re-check in bulk, claim, act, record. Resumable at any point:
 * the items' states are the progress (APPROVED → IN_FLIGHT → DONE / FAILED / SKIPPED / HANDED_OFF,
 * by conditional writes), an INTENT record precedes every call and a RESULT record follows it, and
 * an item found IN_FLIGHT is reconciled by reading the account, never by calling again blindly.
 */
import { ItemState, type ProposalItem } from '../domain/index.js';
import { createRuleContext } from '../rules/index.js';
import { undoOf } from './undo-evidence.js';
import { movePolicy, targetPolicy, ExecutionStepError, type CallResult } from './act.js';
import { claim } from './claim.js';
import { actPerUserPipelined } from './pipeline.js';
import { readFacts } from './facts.js';
import { orgAdminsFor } from './org-admins.js';
import { membershipFor } from './membership.js';
import { assertExecutable, NotExecutableError } from './prepare.js';
import type { ExecDeps } from './ports.js';
import { recheck, seenActivity, type FreshFacts } from './recheck.js';
import { record, type Settled } from './record.js';
import { Round, type ChunkRecord, type RecheckVerdict } from '../domain/execution.js';
import { warnOrWait } from './warn.js';
import { ActionKind } from '../config/index.js';

export interface ChunkRef {
  readonly proposalId: string;
  readonly round: Round;
  readonly index: number;
}

export interface ChunkReport extends ChunkRef {
  /** The invocation ran out of time: run the same chunk again. */
  readonly more: boolean;
  readonly settled: number;
  readonly waiting: number;
  /** Earliest time a waiting item becomes due (ISO), when any waits. */
  readonly resumeAt?: string;
}

/** Time kept in hand before the invocation's deadline: a chunk's calls and writes fit in it. */
const RESERVE_MS = 120_000;

export async function runChunk(deps: ExecDeps, ref: ChunkRef): Promise<ChunkReport> {
  const guard = await assertExecutable(deps, ref.proposalId);
  if (ref.round === Round.MAIN && guard.round !== Round.MAIN)
    throw new NotExecutableError(
      `proposal ${ref.proposalId} is not approved yet; only auto-approved items run.`,
      ref.proposalId,
    );
  const chunk = await deps.executions.chunk(ref.proposalId, ref.round, ref.index);
  if (!chunk)
    throw new Error(
      `execution of ${ref.proposalId} (${ref.round}) has no chunk ${ref.index}; run its prepare step first.`,
    );
  const base = { ...ref, more: false, settled: 0, waiting: 0 };
  if (chunk.doneAt) return base;
  if (deps.deadline && deps.deadline() - deps.clock.now() < RESERVE_MS) return { ...base, more: true };

  const items = (await deps.proposals.itemsByIds(ref.proposalId, chunk.accountIds)).filter(guard.allows);
  const { due, waiting, resumeAt } = await warnOrWait(deps, items);
  const settled = due.length > 0 ? await settleDue(deps, chunk, due) : 0;
  if (waiting.length === 0) await deps.executions.markChunkDone(ref.proposalId, ref.round, ref.index, iso(deps));
  return { ...base, settled, waiting: waiting.length, ...(resumeAt && { resumeAt }) };
}

const iso = (deps: ExecDeps) => new Date(deps.clock.now()).toISOString();

/** Whether the account is already where the item wants it (an in-doubt item's call went through). */
function reached(deps: ExecDeps, item: ProposalItem, fresh: FreshFacts): boolean {
  const a = fresh.account;
  if (!a) return false;
  const suspend = deps.config.deactivation.mode === 'suspend';
  if (item.action === ActionKind.DEACTIVATE)
    return suspend ? a.membershipStatus === 'suspended' : a.accountStatus === 'inactive';
  if (item.action === 'REACTIVATE') return a.accountStatus === 'active' && a.membershipStatus !== 'suspended';
  return fresh.policyId === targetPolicy(deps, item);
}

async function settleDue(deps: ExecDeps, chunk: ChunkRecord, due: readonly ProposalItem[]): Promise<number> {
  const membership = await membershipFor(
    deps.entra,
    deps.clock.now(),
    deps.config.execution.entraMaxAgeMinutes * 60_000,
  );
  const facts = await readFacts(deps.org, membership, due, () => runAdmins(deps, chunk));
  const ctx = createRuleContext(deps.config, new Date(deps.clock.now()));
  const suspend = deps.config.deactivation.mode === 'suspend';
  const settled: Settled[] = [];
  const toClaim: ProposalItem[] = [];
  const toAct: ProposalItem[] = [];
  for (const item of due) {
    const fresh = facts.get(item.accountId)!;
    if (item.state === ItemState.IN_FLIGHT && reached(deps, item, fresh)) {
      settled.push({
        item,
        result: {
          kind: 'done',
          detail: 'reconciled: the account was found in the target state after an interrupted step',
        },
        reconciled: true,
      });
      continue;
    }
    const verdict: RecheckVerdict = recheck(
      ctx,
      {
        accountId: item.accountId,
        action: item.action,
        seenActivity: seenActivity(item.evidence),
        ...(undoOf(item) && item.action !== 'REACTIVATE' && { movesBackTo: targetPolicy(deps, item) }),
      },
      fresh,
      suspend,
    );
    if (verdict.kind === 'act') (item.state === ItemState.APPROVED ? toClaim : toAct).push(item);
    else
      settled.push({ item, result: verdict.kind === 'skip' ? verdict : { kind: 'handoff', detail: verdict.detail } });
  }
  await record(deps, chunk, settled);
  const accounts = new Map(due.map((i) => [i.accountId, facts.get(i.accountId)?.account]));
  const perUser = (i: ProposalItem) => i.action === ActionKind.DEACTIVATE || i.action === 'REACTIVATE';
  // Per-user calls with the claims and results written alongside (pipeline.ts); policy moves go
  // out as one add-users request per policy, after their claims.
  let results = await actPerUserPipelined(deps, chunk, toAct.filter(perUser), toClaim.filter(perUser), accounts);
  const moves = [
    ...toAct.filter((i) => !perUser(i)),
    ...(await claim(
      deps,
      chunk,
      toClaim.filter((i) => !perUser(i)),
      accounts,
    )),
  ];
  results += await moveAll(deps, chunk, moves);
  return settled.length + results;
}

/** The org admin list of this execution run (org-admins.ts: read at or after the run's start, reused while young). */
async function runAdmins(deps: ExecDeps, chunk: ChunkRecord): Promise<Set<string>> {
  const run = await deps.executions.get(chunk.proposalId, chunk.round);
  const startedMs = run ? Date.parse(run.startedAt) : Number.NaN;
  return orgAdminsFor(deps.org, `${chunk.proposalId}#${chunk.round}`, startedMs, deps.clock.now());
}

/** Moves claimed items to their target policies and records each result; a passing failure is rethrown after recording what finished. */
async function moveAll(deps: ExecDeps, chunk: ChunkRecord, items: readonly ProposalItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const byPolicy = new Map<string, ProposalItem[]>();
  for (const i of items) byPolicy.set(targetPolicy(deps, i), [...(byPolicy.get(targetPolicy(deps, i)) ?? []), i]);
  const byId = new Map(items.map((i) => [i.accountId, i]));
  const results = new Map<string, CallResult>();
  let failure: unknown;
  try {
    for (const [policyId, group] of byPolicy)
      for (const [k, v] of await movePolicy(deps, chunk, policyId, group, chunk.tasks ?? [])) results.set(k, v);
  } catch (err) {
    failure = err;
    if (err instanceof ExecutionStepError) for (const [k, v] of err.partial) results.set(k, v);
  }
  await record(
    deps,
    chunk,
    [...results].map(([id, result]) => ({ item: byId.get(id)!, result })),
  );
  if (failure) throw failure;
  return results.size;
}
