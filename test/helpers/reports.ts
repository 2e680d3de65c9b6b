import {
  buildSnapshot,
  type AccountFacts,
  type BillingRule,
  type ExecutedChange,
  type FinanceMailMessage,
  type FinanceSnapshot,
  type MonthlyReportDeps,
} from '../../lambdas/reports/index.js';

export const POLICIES = { billableId: 'pol-sso', nonbillableId: 'pol-free' } as const;
export const STANDARD: BillingRule = { tier: 'standard', policies: POLICIES };
export const PREMIUM: BillingRule = { tier: 'premium', policies: POLICIES };

let seq = 0;
/** An active account with Jira in the billable policy, unless told otherwise. */
export function facts(over: Partial<AccountFacts> = {}): AccountFacts {
  seq += 1;
  return {
    accountId: `acc-${seq}`,
    email: `user${seq}@example.com`,
    name: `User ${seq}`,
    status: 'active',
    policyId: POLICIES.billableId,
    products: ['jira-software'],
    department: 'Engineering',
    ...over,
  };
}

export function change(over: Partial<ExecutedChange> & Pick<ExecutedChange, 'executedAt'>): ExecutedChange {
  seq += 1;
  return {
    accountId: `chg-${seq}`,
    action: 'DEACTIVATE',
    before: { status: 'active', policyId: POLICIES.billableId, products: ['jira-software'] },
    ...over,
  };
}

export const HOSTILE_DEPARTMENT = '=HYPERLINK("http://evil.example","<b>Finance</b>")';
const DEPARTMENTS = ['Engineering', 'Sales', 'Support', HOSTILE_DEPARTMENT, 'Legal'];

export interface FinanceWorld {
  readonly snapshots: FinanceSnapshot[];
  readonly changes: ExecutedChange[];
  readonly accounts: AccountFacts[];
  readonly sent: FinanceMailMessage[];
  deps(nowMs: number, withAccounts?: boolean): MonthlyReportDeps;
}

/**
 * A small org lived day by day: a snapshot at 02:00 UTC each day, and every 10th day at 10:00 UTC
 * two billed accounts deactivated and one moved to the nonbillable policy (the changes recorded
 * with the account as it was). Deterministic.
 */
export function financeWorld(o: { from: string; days: number; size?: number; rule?: BillingRule }): FinanceWorld {
  const rule = o.rule ?? STANDARD;
  const accounts: AccountFacts[] = Array.from({ length: o.size ?? 80 }, (_, i) => ({
    accountId: `w-${i}`,
    email: `person${i}@example.com`,
    name: `Person ${i}`,
    status: 'active' as const,
    policyId: i % 7 === 0 ? POLICIES.nonbillableId : POLICIES.billableId,
    products: i % 3 === 0 ? ['confluence'] : ['jira-software', 'confluence'],
    department: DEPARTMENTS[i % DEPARTMENTS.length]!,
  }));
  const snapshots: FinanceSnapshot[] = [];
  const changes: ExecutedChange[] = [];
  const start = Date.parse(`${o.from}T00:00:00Z`);
  let cursor = 0;
  for (let d = 0; d < o.days; d++) {
    const day = start + d * 86_400_000;
    if (d % 10 === 5) {
      const billed = accounts.filter((a) => a.status === 'active' && a.policyId === POLICIES.billableId);
      const pick = billed.slice(cursor % Math.max(1, billed.length - 3), (cursor % Math.max(1, billed.length - 3)) + 3);
      cursor += 5;
      pick.forEach((a, n) => {
        const action = n < 2 ? 'DEACTIVATE' : 'MOVE_TO_NONBILLABLE';
        changes.push({
          accountId: a.accountId,
          action,
          executedAt: new Date(day + 10 * 3_600_000).toISOString(),
          before: { status: a.status, policyId: a.policyId, products: a.products, department: a.department },
        });
        const i = accounts.indexOf(a);
        accounts[i] =
          action === 'DEACTIVATE' ? { ...a, status: 'deactivated' } : { ...a, policyId: POLICIES.nonbillableId };
      });
    }
    const previous = snapshots.at(-1);
    snapshots.push(
      buildSnapshot(accounts, rule, {
        orgId: 'org-1',
        runId: `run-${d}`,
        takenAt: new Date(day + 2 * 3_600_000).toISOString(),
        topDepartments: 3,
        changes,
        ...(previous && { previous }),
      }),
    );
  }
  const sent: FinanceMailMessage[] = [];
  return {
    snapshots,
    changes,
    accounts,
    sent,
    deps: (nowMs, withAccounts = true) => ({
      snapshots: {
        async *range(_org, from, to) {
          for (const s of snapshots) if (s.takenAt >= from && s.takenAt < to) yield s;
        },
      },
      changes: {
        async *between(_org, from, to) {
          for (const c of changes) if (c.executedAt >= from && c.executedAt < to) yield c;
        },
      },
      ...(withAccounts && {
        accounts: {
          async *accounts() {
            yield* accounts;
          },
        },
      }),
      mailer: {
        async send(m) {
          sent.push(m);
          return { messageId: `msg-${sent.length}` };
        },
      },
      clock: { now: () => nowMs },
    }),
  };
}
