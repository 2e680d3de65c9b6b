import type { StoredEmail } from '../../local/ses.js';
/** Shared pieces of the execution scenario tests (skips, SCIM, faults, guard, warn-before, resume). */
import { randomUUID } from 'node:crypto';
import type { Config } from '../../lambdas/config/index.js';
import type { ProposalItem } from '../../lambdas/domain/index.js';
import type { ExecDeps, OrgWriter } from '../../lambdas/execute/index.js';
import { runExecutionLocally } from '../../local/execution-engine.js';
import type { AtlassianSimOptions, MutationRecord } from '../sim/atlassian/index.js';
import type { SyntheticOrg } from '../sim/org/index.js';
import { makeConfig } from './config.js';
import { executionWorld, type ExecWorld } from './execute.js';

/** Caps raised, warnings off, small chunks (several per run); `edit` may change anything after. */
export function scenarioConfig(edit: (raw: Record<string, any>) => void = () => undefined): Config {
  return makeConfig((c) => {
    c.caps = { maxActionsPerRun: 5_000, maxPercentOfOrg: 75 };
    c.execution = { warnBeforeDays: 0, chunkSize: 60 };
    edit(c);
  });
}

/** A run id no other test file uses (proposal ids, attachment names and mail filters derive from it). */
export const uniqueRunId = (label: string) => `x${label}-${randomUUID().slice(0, 8)}`;

/** Every mutation record the simulator logged for one account. */
export function mutationsOf(w: ExecWorld, accountId: string): MutationRecord[] {
  return w.atlassian.mutations().filter((m) => m.accountId === accountId);
}

/** Applied changes per account id. */
export function appliedPerAccount(w: ExecWorld): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of w.atlassian.mutations())
    if (m.outcome === 'applied' && m.accountId) out.set(m.accountId, (out.get(m.accountId) ?? 0) + 1);
  return out;
}

/** accountId → "STATE" or "STATE/outcomeCode": what a run ended with, comparable across worlds. */
export function outcomeMap(items: readonly ProposalItem[]): Map<string, string> {
  return new Map(
    items.map((i) => {
      const code = (i as { outcomeCode?: string }).outcomeCode;
      return [i.accountId, code ? `${i.state}/${code}` : i.state];
    }),
  );
}

export const codeOf = (i: ProposalItem | undefined) => (i as { outcomeCode?: string } | undefined)?.outcomeCode;
export const messageOf = (i: ProposalItem | undefined) =>
  (i as { outcomeMessage?: string } | undefined)?.outcomeMessage;

/** Plans, approves everything and executes the org once with no faults: the reference outcome. */
export async function cleanOutcome(
  org: SyntheticOrg,
  config: Config,
  runId: string,
  sim: Partial<AtlassianSimOptions> = {},
): Promise<Map<string, string>> {
  const w = await executionWorld(org, config, sim);
  try {
    const id = await w.planAndApprove(runId);
    await runExecutionLocally(w.exec, { proposalId: id });
    return outcomeMap(await w.items(id));
  } finally {
    await w.stop();
  }
}

/** Differences between two outcome maps, as readable lines (empty when equal). */
export function outcomeDiff(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [id, s] of expected) if (actual.get(id) !== s) out.push(`${id}: expected ${s}, got ${actual.get(id)}`);
  for (const id of actual.keys()) if (!expected.has(id)) out.push(`${id}: not expected, got ${actual.get(id)}`);
  return out;
}

/**
 * The world's OrgWriter with `disable` broken after `okCalls` calls: the next call still reaches
 * Atlassian (its answer is lost: the account is changed but the caller sees ECONNRESET), every later
 * call throws ECONNRESET without reaching it (those accounts are in `refused`).
 */
export function brokenDisable(
  org: OrgWriter,
  okCalls: number,
): { org: OrgWriter; calls: () => number; lostAnswer: () => string | undefined; refused: Set<string> } {
  let calls = 0;
  let lost: string | undefined;
  const refused = new Set<string>();
  const wrapped: OrgWriter = {
    accountsByEmail: (e) => org.accountsByEmail(e),
    accountsById: (ids) => org.accountsById(ids),
    policyAssignments: (ids) => org.policyAssignments(ids),
    orgAdminIds: () => org.orgAdminIds(),
    enable: (id) => org.enable(id),
    suspend: (id) => org.suspend(id),
    restore: (id) => org.restore(id),
    addUsersToPolicy: (p, e) => org.addUsersToPolicy(p, e),
    waitForTask: (t, r) => org.waitForTask(t, r),
    async disable(accountId, message) {
      calls++;
      if (calls <= okCalls) return org.disable(accountId, message);
      if (calls === okCalls + 1) {
        lost = accountId;
        await org.disable(accountId, message);
      } else refused.add(accountId);
      throw new Error('ECONNRESET');
    },
  };
  return { org: wrapped, calls: () => calls, lostAnswer: () => lost, refused };
}

/** The world's deps with another OrgWriter. */
export const withOrg = (deps: ExecDeps, org: OrgWriter): ExecDeps => ({ ...deps, org });

/**
 * Deps whose every port call throws once `kill()` was called, as if the process running them had
 * died (SIGKILL): a call in progress finishes, nothing after it reaches Atlassian, DynamoDB or SES.
 * `idle()` resolves once no call is in progress. `callsAfterKill()` counts the calls refused.
 */
export function killable(deps: ExecDeps): {
  deps: ExecDeps;
  kill(): void;
  idle(): Promise<void>;
  callsAfterKill(): number;
} {
  let killed = false;
  let pending = 0;
  let refused = 0;
  const wrap = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, key, receiver) {
        const v = Reflect.get(target, key, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          if (killed) {
            refused++;
            throw new Error('the process was killed');
          }
          pending++;
          let out: unknown;
          try {
            out = (v as (...a: unknown[]) => unknown).apply(target, args);
          } catch (err) {
            pending--;
            throw err;
          }
          if (out && typeof (out as Promise<unknown>).then === 'function')
            return (out as Promise<unknown>).finally(() => pending--);
          pending--;
          return out;
        };
      },
    });
  return {
    deps: {
      ...deps,
      org: wrap(deps.org),
      proposals: wrap(deps.proposals),
      executions: wrap(deps.executions),
      ballots: wrap(deps.ballots),
      audit: wrap(deps.audit),
      mail: wrap(deps.mail),
    },
    kill: () => void (killed = true),
    async idle() {
      while (pending > 0) await new Promise((r) => setTimeout(r, 20));
    },
    callsAfterKill: () => refused,
  };
}

/** An attachment's text (base64 in the emulator's store; the CSV starts with a UTF-8 BOM for Excel). */
export function attachmentText(a: StoredEmail['attachments'][number]): string {
  // A CSV has commas, which base64 never has.
  const text = /^[A-Za-z0-9+/=\r\n]+$/.test(a.content) ? Buffer.from(a.content, 'base64').toString('utf8') : a.content;
  return text.replace(/^\uFEFF/, '');
}
