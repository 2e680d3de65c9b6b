/**
 * Acting on claimed items: every item here is IN_FLIGHT with an INTENT record already written.
 * Per-user calls (disable, enable, suspend, restore) run a few at a time; policy moves go out as
 * add-users requests of up to 500 emails, their task id stored before polling.
 */
import type { ManagedAccount } from '../atlassian/types.js';
import type { ProposalItem } from '../domain/index.js';
import pLimit from 'p-limit';
import { ActionKind } from '../config/index.js';
import { undoOf } from './undo-evidence.js';
import { outcomeOfError, type ErrorOutcome } from './outcome.js';
import type { ExecDeps } from './ports.js';
import type { PolicyTask, Round } from '../domain/execution.js';

/** What happened to one item's call. */
export type CallResult = { readonly kind: 'done'; readonly detail: string } | ErrorOutcome;

export const ADD_USERS_BATCH = 500;

/**
 * The calls that give an account back (REACTIVATE), chosen from its state read just now: enable a
 * deactivated account, restore a suspended membership, both when both. Without fresh facts, the
 * call an undo recorded, else the configured mode's.
 */
export function reactivateCalls(
  deps: ExecDeps,
  item: ProposalItem,
  account?: ManagedAccount,
): ('enable' | 'restore')[] {
  if (account) {
    const calls: ('enable' | 'restore')[] = [];
    if (account.accountStatus === 'inactive') calls.push('enable');
    if (account.membershipStatus === 'suspended') calls.push('restore');
    if (calls.length > 0) return calls;
  }
  const suspend = deps.config.deactivation.mode === 'suspend';
  return [undoOf(item)?.call ?? (suspend ? 'restore' : 'enable')];
}

function userCall(
  deps: ExecDeps,
  item: ProposalItem,
  account?: ManagedAccount,
): { name: string; run: () => Promise<void> } {
  const suspend = deps.config.deactivation.mode === 'suspend';
  if (item.action === ActionKind.DEACTIVATE)
    return suspend
      ? { name: 'suspend', run: () => deps.org.suspend(item.accountId) }
      : { name: 'disable', run: () => deps.org.disable(item.accountId, deps.config.deactivation.message) };
  const calls = reactivateCalls(deps, item, account);
  return {
    name: calls.join('+'),
    run: async () => {
      for (const c of calls)
        await (c === 'enable' ? deps.org.enable(item.accountId) : deps.org.restore(item.accountId));
    },
  };
}

export function callName(deps: ExecDeps, item: ProposalItem, account?: ManagedAccount): string {
  if (item.action === ActionKind.DEACTIVATE || item.action === 'REACTIVATE') return userCall(deps, item, account).name;
  return `add-users ${targetPolicy(deps, item)}`;
}

export function targetPolicy(deps: ExecDeps, item: ProposalItem): string {
  // An undo moves back only to one of the two configured policies, whatever its evidence says.
  const back = undoOf(item)?.policyId;
  if (back && (back === deps.config.policies.billableId || back === deps.config.policies.nonbillableId)) return back;
  return item.action === ActionKind.MOVE_TO_NONBILLABLE
    ? deps.config.policies.nonbillableId
    : deps.config.policies.billableId;
}

export interface PerUserOptions {
  /** Runs the calls (a few at once). @default four at a time */
  readonly limit?: <T>(f: () => Promise<T>) => Promise<T>;
  /** Asked before each call: true leaves the item uncalled and without a result. @default never */
  readonly stopped?: () => boolean;
  /** Told at once of a call that failed for a reason that may pass (it is also thrown after all settle). */
  readonly onThrown?: (err: unknown) => void;
}

/** Calls the per-user endpoint for each item; definite errors become results, others are thrown after all settle. */
export async function actPerUser(
  deps: ExecDeps,
  items: readonly ProposalItem[],
  accounts: ReadonlyMap<string, ManagedAccount | undefined> = new Map(),
  { limit = pLimit(4), stopped = () => false, onThrown }: PerUserOptions = {},
): Promise<Map<string, CallResult>> {
  const results = new Map<string, CallResult>();
  const thrown: unknown[] = [];
  await Promise.all(
    items.map((item) =>
      limit(async () => {
        if (stopped()) return;
        const call = userCall(deps, item, accounts.get(item.accountId));
        try {
          await call.run();
          results.set(item.accountId, { kind: 'done', detail: `${call.name} succeeded` });
        } catch (err) {
          const outcome = outcomeOfError(err);
          if (outcome) results.set(item.accountId, outcome);
          else {
            thrown.push(err);
            onThrown?.(err);
          }
        }
      }),
    ),
  );
  if (thrown.length > 0) throw new ExecutionStepError(thrown, results);
  return results;
}

/**
 * A step failed for a reason that may pass (throttling past its budget, 5xx, a lost connection):
 * the results gathered before it are kept, so the caller records them before rethrowing.
 */
export class ExecutionStepError extends Error {
  override readonly name = 'ExecutionStepError';
  constructor(
    readonly errors: readonly unknown[],
    readonly partial: ReadonlyMap<string, CallResult>,
  ) {
    super(
      `${errors.length} call(s) failed for a reason that may pass (first: ${(errors[0] as Error)?.message ?? String(errors[0])}); the step is retried and the items are reconciled by reading their state.`,
      { cause: errors[0] },
    );
  }
}

/**
 * Moves items to one policy: submits add-users in batches, stores each task id (conditionally)
 * before polling it, and maps the task's per-user failures back to the items. A task already stored
 * for these items (a retried step) is polled, never submitted again.
 */
export async function movePolicy(
  deps: ExecDeps,
  at: { proposalId: string; round: Round; index: number },
  policyId: string,
  items: readonly ProposalItem[],
  stored: readonly PolicyTask[],
): Promise<Map<string, CallResult>> {
  const results = new Map<string, CallResult>();
  const byId = new Map(items.map((i) => [i.accountId, i]));
  const tasks: PolicyTask[] = stored.filter((t) => t.policyId === policyId && t.accountIds.some((id) => byId.has(id)));
  const covered = new Set(tasks.flatMap((t) => t.accountIds));
  const fresh = items.filter((i) => !covered.has(i.accountId) && i.email);
  for (const i of items.filter((x) => !x.email))
    results.set(i.accountId, {
      kind: 'failed',
      code: 'no-email',
      detail: 'add-users takes emails; this account hides its email',
    });
  for (let i = 0; i < fresh.length; i += ADD_USERS_BATCH) {
    const batch = fresh.slice(i, i + ADD_USERS_BATCH);
    const taskId = await deps.org.addUsersToPolicy(
      policyId,
      batch.map((b) => b.email!),
    );
    const task = { policyId, taskId, accountIds: batch.map((b) => b.accountId) };
    await deps.executions.addTask(at.proposalId, at.round, at.index, task);
    tasks.push(task);
  }
  for (const task of tasks) {
    const members = task.accountIds.map((id) => byId.get(id)).filter((x): x is ProposalItem => !!x && !!x.email);
    const outcome = await deps.org.waitForTask(
      task.taskId,
      members.map((m) => m.email!),
    );
    const failed = new Map(outcome.failed.map((f) => [f.email.toLowerCase(), f]));
    for (const m of members) {
      const f = failed.get(m.email!.toLowerCase());
      results.set(
        m.accountId,
        f
          ? {
              kind: 'failed',
              code: f.title ?? String(f.status ?? 'task-failure'),
              detail: f.detail ?? f.title ?? 'add-users reported a failure',
            }
          : { kind: 'done', detail: `moved to ${policyId} (task ${task.taskId})` },
      );
    }
  }
  return results;
}
