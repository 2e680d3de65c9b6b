import { randomUUID } from 'node:crypto';
import {
  checkBreakGlass,
  checkCaps,
  createRuleContext,
  createTally,
  planVerdict,
  type BreakGlassSighting,
  type DecisionTally,
  type RuleContext,
} from '../rules/index.js';
import { AuditEvent, type AuditEntry } from '../domain/audit.js';
import { ProposalStatus, type ProposalItem } from '../domain/proposal.js';
import { RunStatus } from '../domain/run.js';
import { dryRunStream, runStream } from '../domain/streams.js';
import { contentHash } from './content-hash.js';
import { evaluatePage } from './page.js';
import { watchPolicyIds } from './policy-check.js';
import { readRunFacts } from './run-facts.js';
import type { PlanDeps } from './ports.js';
import { SeatCounter, type SeatTotals } from './seat-counter.js';
import { recordSnapshot } from '../reports/record.js';
import { SnapshotCounter } from '../reports/snapshot.js';
import { PlanError, UniqueAccounts } from './unique-accounts.js';
import { runIdProblem } from './run-id.js';
import { WriteBehind } from './write-behind.js';
import { readAhead } from '../shared/read-ahead.js';
import { billingDeadlineSummary } from './billing-deadline.js';

/** Pages whose writes may wait behind the reads (memory: about this many pages of items). */
const WRITE_BEHIND_PAGES = 3;

export interface PlanOptions {
  /** The scheduled run's id (e.g. the schedule time): the same id delivered twice yields one proposal. */
  readonly runId: string;
  /** Evaluate and report, write nothing but one audit record. @default false */
  readonly dryRun?: boolean;
  /** Lock lease; renewed on every page. @default 15 minutes */
  readonly leaseMs?: number;
}

export type PlanStatus = 'proposed' | 'needs-override' | 'empty' | 'blocked' | 'duplicate' | 'dry-run';

export interface PlanResult {
  readonly status: PlanStatus;
  readonly runId: string;
  readonly attempt?: number;
  readonly proposalId?: string;
  readonly tally?: DecisionTally;
  readonly seats?: SeatTotals;
  /** Why the plan proposes nothing or needs an override. */
  readonly reasons: readonly string[];
  /** Dry run only: what would be proposed. */
  readonly items?: readonly ProposalItem[];
}

const ACTOR = 'system:plan';

/**
 * The nightly plan: streams managed accounts page by page, joins Entra and current policy,
 * evaluates the rules, writes the proposal and its items, a seat snapshot and the audit trail,
 * and hands a READY proposal to the approval step. Nothing in Atlassian changes here.
 */
export async function runPlan(deps: PlanDeps, options: PlanOptions): Promise<PlanResult> {
  const { config, clock, logger } = deps;
  const badRunId = runIdProblem(options.runId);
  if (badRunId) throw new PlanError(`The run id ${badRunId}. Nothing was written.`);
  const ctx = createRuleContext(config, new Date(clock.now()));
  if (options.dryRun) return dryRun(deps, ctx, options);

  const lock = `plan#${config.orgId}`;
  const holder = `${options.runId}/${randomUUID()}`;
  const leaseMs = options.leaseMs ?? 15 * 60_000;
  // A retry of this run id (after a hard kill: timeout, out of memory) takes over its own lease.
  await deps.locks.acquire(lock, holder, leaseMs, { takeOverFrom: `${options.runId}/` });
  try {
    const previous = await deps.runs.get(options.runId);
    // COMPLETE and BLOCKED are final for a run id; STARTED (crashed) and FAILED are tried again.
    if (previous && (previous.status === RunStatus.COMPLETE || previous.status === RunStatus.BLOCKED)) {
      logger.log('info', 'plan.duplicate', {
        runId: options.runId,
        status: previous.status,
        proposalId: previous.proposalId,
      });
      // A redelivery after a failed handoff mails the proposal now (sending is idempotent).
      if (previous.status === RunStatus.COMPLETE && previous.proposalId) await handOff(deps, previous.proposalId);
      return {
        status: 'duplicate',
        runId: options.runId,
        attempt: previous.attempt,
        ...(previous.proposalId && { proposalId: previous.proposalId }),
        reasons: [`run ${options.runId} already ${previous.status.toLowerCase()}`],
      };
    }
    if (previous?.proposalId)
      await abandon(deps, previous.proposalId, `attempt ${previous.attempt} of run ${options.runId} did not finish`);
    const attempt = (previous?.attempt ?? 0) + 1;
    const proposalId = attempt === 1 ? options.runId : `${options.runId}-a${attempt}`;
    const stream = runStream(options.runId, attempt);
    const startedAt = new Date(clock.now()).toISOString();
    // The run record and its stream's first audit record are one step (a transaction): a failure
    // here leaves neither, and the next attempt starts as if this one never happened.
    await deps.runs.start(
      { runId: options.runId, kind: 'plan', status: RunStatus.STARTED, attempt, startedAt, proposalId },
      {
        stream,
        entry: {
          event: AuditEvent.PLAN_STARTED,
          actor: ACTOR,
          runId: options.runId,
          proposalId,
          details: { attempt, orgId: config.orgId },
        },
      },
    );
    let result: PlanResult;
    try {
      result = await build(deps, ctx, {
        ...options,
        attempt,
        proposalId,
        stream,
        startedAt,
        renew: () => deps.locks.acquire(lock, holder, leaseMs),
      });
    } catch (err) {
      const message = (err as Error).message;
      logger.log('error', 'plan.failed', { runId: options.runId, attempt, error: message });
      await abandon(deps, proposalId, `plan failed: ${message}`).catch(() => undefined);
      await deps.runs
        .update(options.runId, {
          status: RunStatus.FAILED,
          error: message,
          finishedAt: new Date(clock.now()).toISOString(),
        })
        .catch(() => undefined);
      await deps.audit
        .append(stream, [
          {
            event: AuditEvent.PLAN_FAILED,
            actor: ACTOR,
            runId: options.runId,
            proposalId,
            outcome: 'failed',
            details: { error: message },
          },
        ])
        .catch(() => undefined);
      await sendAlert(deps, { runId: options.runId, kind: 'failed', reasons: [message], at: clock.now() });
      throw err;
    }
    // Outside the failure path above: the run is COMPLETE and its proposal READY whatever happens
    // to the mail. A handoff error propagates, so the schedule retries and the redelivery sends it.
    if (result.proposalId && (result.status === 'proposed' || result.status === 'needs-override'))
      await handOff(deps, result.proposalId);
    return result;
  } finally {
    await deps.locks.release(lock, holder);
  }
}

/** Mails the alert; a mail failure is logged, never hides the run's own outcome. */
async function sendAlert(deps: PlanDeps, alert: Parameters<NonNullable<PlanDeps['alert']>>[0]): Promise<void> {
  if (!deps.alert) return;
  try {
    await deps.alert(alert);
  } catch (err) {
    deps.logger.log('error', 'plan.alert-not-sent', {
      runId: alert.runId,
      kind: alert.kind,
      error: (err as Error).message,
    });
  }
}

/** Hands a READY proposal that has not been mailed yet to the approval step. */
async function handOff(deps: PlanDeps, proposalId: string): Promise<void> {
  const proposal = await deps.proposals.get(proposalId);
  if (!deps.handoff || !proposal || proposal.status !== ProposalStatus.READY || proposal.sentAt) return;
  try {
    await deps.handoff(proposal);
  } catch (err) {
    deps.logger.log('error', 'plan.handoff-failed', {
      runId: proposal.runId,
      proposalId,
      error: (err as Error).message,
    });
    throw err;
  }
}

async function abandon(deps: PlanDeps, proposalId: string, reason: string): Promise<void> {
  const p = await deps.proposals.get(proposalId);
  if (p?.status === ProposalStatus.BUILDING)
    await deps.proposals.setStatus(proposalId, [ProposalStatus.BUILDING], ProposalStatus.ABANDONED, {
      abandonedReason: reason,
    });
}

/** Break-glass accounts, looked up by email before anything else: a problem blocks the whole run. */
async function breakGlassAlerts(deps: PlanDeps): Promise<string[]> {
  const accounts = await deps.org.accountsByEmail(deps.config.breakGlass.map((b) => b.email));
  const policies = accounts.length > 0 ? await deps.org.policyAssignments(accounts.map((a) => a.accountId)) : [];
  const policyOf = new Map(policies.map((p) => [p.accountId ?? p.email.toLowerCase(), p.policyId]));
  const sightings: BreakGlassSighting[] = accounts.map((account) => ({
    account,
    policyId: policyOf.get(account.accountId) ?? policyOf.get(account.email?.toLowerCase() ?? ''),
  }));
  return checkBreakGlass(deps.config, sightings).map((a) => a.message);
}

interface BuildState {
  readonly runId: string;
  readonly attempt: number;
  readonly proposalId: string;
  readonly stream: string;
  readonly startedAt: string;
  readonly renew: () => Promise<void>;
}

async function build(planDeps: PlanDeps, ctx: RuleContext, s: BuildState): Promise<PlanResult> {
  const policyWatch = watchPolicyIds(planDeps);
  const deps = policyWatch.deps;
  const { config, clock, logger } = deps;
  const blocked = await breakGlassAlerts(deps);
  if (blocked.length > 0) return finishBlocked(deps, s, blocked, undefined, undefined);

  await deps.proposals.create({
    proposalId: s.proposalId,
    runId: s.runId,
    orgId: config.orgId,
    status: ProposalStatus.BUILDING,
    createdAt: s.startedAt,
  });
  const facts = await readRunFacts(deps, ctx, s.runId);
  const { orgAdmins, membership, join } = facts;
  const tally = createTally();
  const seats = new SeatCounter(config.policies.billableId);
  const finance = new SnapshotCounter({ tier: config.finance.tier, policies: config.policies });
  const proposed: { accountId: string; action: string }[] = [];
  const unique = new UniqueAccounts();
  let pages = 0;
  // Each page's writes run behind the reads of the next pages (in order, a bounded queue), so the
  // store's pace and the API's overlap instead of adding up.
  const writes = new WriteBehind(WRITE_BEHIND_PAGES);
  try {
    // The next page is read while this one is evaluated (policy fetch included) and written.
    for await (const page of readAhead(deps.org.pages({ listing: 'v2' }))) {
      pages += 1;
      unique.check(page.accounts, pages);
      const scope = { join, membership, orgAdmins, tally, seats, finance };
      const items = await evaluatePage(deps, facts.ctx, scope, page.accounts, s.proposalId);
      for (const i of items) proposed.push({ accountId: i.accountId, action: i.action });
      const checkpoint = { pages, ...(page.nextCursor && { cursor: page.nextCursor }) };
      const progress = { runId: s.runId, pages, accounts: tally.managed, proposed: tally.actions };
      await writes.add(async () => {
        if (items.length > 0) {
          // The items and their ITEM_PROPOSED records go to different tables: written side by side.
          // Either failing fails the run, which is then abandoned (as when one of them failed alone).
          const put = deps.proposals.putItems(items);
          const audited = deps.audit.appendOwned(
            s.stream,
            items.map((i): AuditEntry => ({
              event: AuditEvent.ITEM_PROPOSED,
              actor: ACTOR,
              runId: s.runId,
              proposalId: s.proposalId,
              accountId: i.accountId,
              action: i.action,
              outcome: i.reason,
              details: { summary: i.summary },
            })),
          );
          // Both settle before a failure is reported, so nothing is still being written once the run fails.
          const [a, b] = await Promise.allSettled([put, audited]);
          if (a.status === 'rejected') throw a.reason;
          if (b.status === 'rejected') throw b.reason;
        }
        // Progress for operators (lifecycle audit / the run record); a failed run is redone from the start.
        await deps.runs.update(s.runId, { checkpoint });
        await s.renew();
        if (checkpoint.pages % 10 === 0) logger.log('info', 'plan.progress', progress);
      });
    }
    await writes.drain();
  } catch (err) {
    // Nothing of this run is written after it has failed (runPlan abandons the proposal next).
    await writes.settle();
    throw err;
  }

  const unseenPolicies = policyWatch.unseen();
  if (unseenPolicies.length > 0) {
    await abandon(deps, s.proposalId, unseenPolicies.join(' '));
    return finishBlocked(deps, s, unseenPolicies, tally, seats.totals);
  }
  const caps = checkCaps(tally.actions, tally.managed, config.caps);
  // The read is complete by construction here: every page was read and validated, and any failed or
  // malformed page threw, which abandons the proposal (runPlan). Break-glass was checked up front.
  const verdict = planVerdict({ readComplete: true, breakGlassAlerts: [], caps });
  const totals = seats.totals;
  // The finance snapshot: the plan's seat counts and, under the configured tier, the rest (reports/).
  await recordSnapshot(
    { store: deps.seats, clock, ...(deps.executedChanges && { changes: deps.executedChanges }) },
    finance,
    { orgId: config.orgId, runId: s.runId, topDepartments: config.finance.topDepartments },
  );
  const unmatched = join.unmatchedMembers({ onlyConfluenceGroup: true }).length;
  const summary = {
    pages,
    managed: tally.managed,
    actions: tally.actions,
    byAction: tally.byAction,
    byExclusion: tally.byExclusion,
    needsData: tally.byMissing,
    kept: tally.kept,
    entra: join.counts,
    orgAdminsListed: orgAdmins.size,
    ...(facts.tenantDomains && { tenantDomains: facts.tenantDomains }),
    entraOnlyConfluenceMembers: unmatched,
    seats: totals,
    ...billingDeadlineSummary(config, clock.now()),
  };
  const suspicious = verdict.kind === 'needs-override';
  await deps.proposals.setStatus(
    s.proposalId,
    [ProposalStatus.BUILDING],
    tally.actions > 0 ? ProposalStatus.READY : ProposalStatus.EMPTY,
    {
      completedAt: new Date(clock.now()).toISOString(),
      counts: tally.byAction,
      itemCount: tally.actions,
      managedCount: tally.managed,
      contentHash: contentHash(proposed),
      suspicious,
      suspiciousReasons: verdict.reasons,
    },
  );
  await deps.runs.update(s.runId, {
    status: RunStatus.COMPLETE,
    finishedAt: new Date(clock.now()).toISOString(),
    summary,
  });
  await deps.audit.append(s.stream, [
    {
      event: AuditEvent.PLAN_FINISHED,
      actor: ACTOR,
      runId: s.runId,
      proposalId: s.proposalId,
      outcome: suspicious ? 'needs-override' : tally.actions > 0 ? 'proposed' : 'empty',
      details: summary,
    },
  ]);
  logger.log('info', 'plan.finished', { runId: s.runId, proposalId: s.proposalId, ...summary });
  return {
    status: suspicious ? 'needs-override' : tally.actions > 0 ? 'proposed' : 'empty',
    runId: s.runId,
    attempt: s.attempt,
    proposalId: s.proposalId,
    tally,
    seats: totals,
    reasons: verdict.reasons,
  };
}

async function finishBlocked(
  deps: PlanDeps,
  s: BuildState,
  reasons: string[],
  tally: DecisionTally | undefined,
  seats: SeatTotals | undefined,
): Promise<PlanResult> {
  const at = new Date(deps.clock.now()).toISOString();
  await deps.audit.append(
    s.stream,
    reasons.map((r): AuditEntry => ({
      event: AuditEvent.SAFETY_ALERT,
      actor: ACTOR,
      runId: s.runId,
      outcome: 'blocked',
      details: { reason: r },
    })),
  );
  await deps.runs.update(s.runId, { status: RunStatus.BLOCKED, finishedAt: at, error: reasons.join(' ') });
  await deps.audit.append(s.stream, [
    { event: AuditEvent.PLAN_FINISHED, actor: ACTOR, runId: s.runId, outcome: 'blocked', details: { reasons } },
  ]);
  deps.logger.log('error', 'plan.blocked', { runId: s.runId, reasons });
  await sendAlert(deps, { runId: s.runId, kind: 'blocked', reasons, at: deps.clock.now() });
  return {
    status: 'blocked',
    runId: s.runId,
    attempt: s.attempt,
    reasons,
    ...(tally && { tally }),
    ...(seats && { seats }),
  };
}

async function dryRun(planDeps: PlanDeps, ctx: RuleContext, options: PlanOptions): Promise<PlanResult> {
  const policyWatch = watchPolicyIds(planDeps);
  const deps = policyWatch.deps;
  const { config } = deps;
  const reasons = await breakGlassAlerts(deps);
  const facts = await readRunFacts(deps, ctx, options.runId);
  const { orgAdmins, membership, join } = facts;
  const tally = createTally();
  const seats = new SeatCounter(config.policies.billableId);
  const items: ProposalItem[] = [];
  const unique = new UniqueAccounts();
  let pages = 0;
  for await (const page of deps.org.pages({ listing: 'v2' })) {
    unique.check(page.accounts, ++pages);
    items.push(
      ...(await evaluatePage(
        deps,
        facts.ctx,
        { join, membership, orgAdmins, tally, seats },
        page.accounts,
        `dry-run:${options.runId}`,
      )),
    );
  }
  const verdict = planVerdict({
    readComplete: true,
    breakGlassAlerts: [],
    caps: checkCaps(tally.actions, tally.managed, config.caps),
  });
  reasons.push(...policyWatch.unseen());
  const all = [...reasons, ...verdict.reasons];
  await deps.audit.append(dryRunStream(options.runId), [
    {
      event: AuditEvent.PLAN_DRY_RUN,
      actor: ACTOR,
      runId: options.runId,
      outcome: reasons.length > 0 ? 'blocked' : verdict.kind,
      details: { actions: tally.actions, byAction: tally.byAction, managed: tally.managed, reasons: all },
    },
  ]);
  return { status: 'dry-run', runId: options.runId, tally, seats: seats.totals, reasons: all, items };
}
