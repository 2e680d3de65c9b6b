/**
 * The plan's ports as the command line wraps them: page progress read off the listing, and the
 * dry run's one audit record held back until its result is printed (printed even if the write
 * then fails).
 */
import type { AuditEntry, AuditRecord } from '../../lambdas/domain/index.js';
import type { PlanDeps } from '../../lambdas/plan/index.js';
import type { Progress } from './progress.js';

/** Counts pages and accounts as the plan reads the listing. */
export function withPageProgress(deps: PlanDeps, progress: Progress): PlanDeps {
  const org = deps.org;
  return {
    ...deps,
    org: {
      accountsByEmail: (e) => org.accountsByEmail(e),
      policyAssignments: (ids) => org.policyAssignments(ids),
      lastActiveDates: (id) => org.lastActiveDates(id),
      orgAdminIds: () => org.orgAdminIds(),
      async *pages(options) {
        let pages = 0;
        let accounts = 0;
        for await (const page of org.pages(options)) {
          pages += 1;
          accounts += page.accounts.length;
          progress.update(pages, undefined, `pages read, ${accounts} accounts`);
          yield page;
        }
      },
    },
  };
}

export interface HeldAudit {
  readonly deps: PlanDeps;
  /** Writes what was held back. */
  flush(): Promise<AuditRecord[]>;
}

/** Holds back appends to `stream` (the dry run's): appends elsewhere go through at once. */
export function holdAudit(deps: PlanDeps, stream: string): HeldAudit {
  const held: AuditEntry[] = [];
  const audit = deps.audit;
  return {
    deps: {
      ...deps,
      audit: {
        append: async (s, entries) => (s === stream ? (held.push(...entries), []) : audit.append(s, entries)),
        appendOwned: (s, entries) => audit.appendOwned(s, entries),
      },
    },
    flush: () => audit.append(stream, held.splice(0)),
  };
}
