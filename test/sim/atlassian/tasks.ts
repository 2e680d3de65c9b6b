/**
 * Asynchronous add-users tasks (Admin Control). Each user's outcome is decided when the task is
 * created; the task finishes `delayMs` after creation on the injected clock, and only then are the
 * successful users moved into the policy (settled lazily before every request).
 */
import type { Person } from '../org/index.js';
import type { OrgState } from './state.js';
import type { MutationRecord } from './types.js';

export interface FailureDetails {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
}

interface Task {
  readonly id: string;
  readonly policyId: string;
  readonly path: string;
  readonly dueMs: number;
  readonly succeeded: readonly { readonly email: string; readonly person: Person }[];
  readonly failed: readonly { readonly email: string; readonly details: FailureDetails }[];
  applied: boolean;
}

export const NOT_MANAGED: FailureDetails = {
  status: 404,
  title: 'Not Found',
  detail: 'No managed account with this email address in the organization',
};
export const INJECTED_FAILURE: FailureDetails = {
  status: 400,
  title: 'Bad Request',
  detail: 'The user could not be added to the authentication policy',
};

export interface TaskStatus {
  readonly inProgressCount: number;
  readonly successCount: number;
  readonly failureCount: number;
  readonly failureReasons: { readonly emails: string[]; readonly details: FailureDetails }[];
}

export class TaskQueue {
  private readonly tasks = new Map<string, Task>();
  private readonly pending: Task[] = [];

  constructor(
    private readonly state: OrgState,
    private readonly delayMs: number,
    private readonly record: (m: Omit<MutationRecord, 'at'>) => void,
  ) {}

  /** `fails(email)` says whether a known user fails (fault injection). Emails are deduplicated, case-insensitively. */
  create(
    id: string,
    policyId: string,
    path: string,
    emails: readonly string[],
    nowMs: number,
    fails: (email: string) => boolean,
  ): Task {
    const seen = new Set<string>();
    const succeeded: Task['succeeded'][number][] = [];
    const failed: Task['failed'][number][] = [];
    for (const email of emails) {
      if (seen.has(email.toLowerCase())) continue;
      seen.add(email.toLowerCase());
      const person = this.state.personByEmail(email);
      if (!person || person.accountType !== 'atlassian') failed.push({ email, details: NOT_MANAGED });
      else if (fails(email)) failed.push({ email, details: INJECTED_FAILURE });
      else succeeded.push({ email, person });
    }
    const task: Task = { id, policyId, path, dueMs: nowMs + this.delayMs, succeeded, failed, applied: false };
    this.tasks.set(id, task);
    this.pending.push(task);
    return task;
  }

  /**
   * Applies every task due by `nowMs`, in creation order, and logs one mutation per requested user:
   * `applied` (moved), `noop` (already in the policy) or `refused` (failed in the task).
   */
  settle(nowMs: number): void {
    while (this.pending.length > 0 && this.pending[0]!.dueMs <= nowMs) {
      const task = this.pending.shift()!;
      const base = { atMs: task.dueMs, kind: 'add-users', method: 'POST', path: task.path, taskId: task.id } as const;
      for (const s of task.succeeded) {
        const changed = this.state.setPolicy(s.person, task.policyId);
        this.record({
          ...base,
          accountId: s.person.accountId,
          email: s.email,
          policyId: task.policyId,
          outcome: changed ? 'applied' : 'noop',
        });
      }
      for (const f of task.failed) {
        const accountId = this.state.personByEmail(f.email)?.accountId;
        this.record({
          ...base,
          ...(accountId && { accountId }),
          email: f.email,
          policyId: task.policyId,
          outcome: 'refused',
          reason: `${f.details.status} ${f.details.title}: ${f.details.detail}`,
        });
      }
      task.applied = true;
    }
  }

  status(id: string): TaskStatus | undefined {
    const task = this.tasks.get(id);
    if (!task) return undefined;
    if (!task.applied)
      return {
        inProgressCount: task.succeeded.length + task.failed.length,
        successCount: 0,
        failureCount: 0,
        failureReasons: [],
      };
    const groups = new Map<FailureDetails, string[]>();
    for (const f of task.failed) groups.set(f.details, [...(groups.get(f.details) ?? []), f.email]);
    return {
      inProgressCount: 0,
      successCount: task.succeeded.length,
      failureCount: task.failed.length,
      failureReasons: [...groups].map(([details, emails]) => ({ emails, details: { ...details } })),
    };
  }
}
