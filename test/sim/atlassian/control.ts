/**
 * The simulator's test-only control endpoints. They are NOT part of any Atlassian API: they let a
 * test, or a process outside the test runner (a `lifecycle execute` run killed and restarted), read
 * what the simulator did and holds. They need no API key, are not rate limited, not subject to
 * faults, and neither logged as requests nor counted in the counters. All answers are JSON.
 *
 *   GET  /__sim/mutations[?accountId=ID][&kind=KIND][&outcome=OUTCOME]
 *        200 MutationRecord[] in the order the changes took effect (add-users tasks due by now are
 *        settled first): {at, atMs, kind, method, path, accountId?, email?, policyId?, taskId?,
 *        outcome: applied|noop|refused, reason?}. One record per account and attempt; an add-users
 *        task gives one record per requested user (`applied` = moved into `policyId`).
 *   POST /__sim/reset-log
 *        204; empties the mutation and request logs and zeroes the counters. The org's state is kept.
 *   GET  /__sim/state/{accountId}
 *        200 SimAccountState {accountId, email, accountType, accountStatus, membershipStatus, status,
 *        policyId, synced, managementSource}; 404 {error} for an unknown account.
 *   GET  /__sim/counts
 *        200 {requests: SimCounters, mutations: {total, byKind, byOutcome}}.
 *
 * Anything else under /__sim/ answers 404 {error}; a known path with another method 405 {error}.
 * SimControlClient (control-client.ts) is the typed client of these endpoints.
 */
import type { SimCore } from './context.js';
import type { SimLog } from './log.js';
import { MUTATION_OUTCOMES, type MutationRecord, type SimAccountState } from './types.js';

export const CONTROL_PREFIX = '/__sim/';

export interface ControlReply {
  readonly status: number;
  readonly body?: unknown;
}

export function accountState(core: SimCore, accountId: string): SimAccountState | undefined {
  const p = core.state.person(accountId);
  if (!p) return undefined;
  return {
    accountId: p.accountId,
    email: p.atlassianEmail,
    accountType: p.accountType,
    accountStatus: p.accountStatus,
    membershipStatus: p.membershipStatus,
    status: core.state.status(p),
    policyId: p.policyId,
    synced: p.managementSource === 'synced',
    managementSource: p.managementSource,
  };
}

function tally(records: readonly MutationRecord[], key: 'kind' | 'outcome'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) out[r[key]] = (out[r[key]] ?? 0) + 1;
  return out;
}

function mutations(log: SimLog, query: URLSearchParams): ControlReply {
  const outcome = query.get('outcome');
  if (outcome !== null && !(MUTATION_OUTCOMES as readonly string[]).includes(outcome))
    return { status: 400, body: { error: `outcome must be one of ${MUTATION_OUTCOMES.join(', ')}, got ${outcome}` } };
  const accountId = query.get('accountId');
  const kind = query.get('kind');
  const body = log
    .mutations()
    .filter(
      (m) =>
        (accountId === null || m.accountId === accountId) &&
        (kind === null || m.kind === kind) &&
        (outcome === null || m.outcome === outcome),
    );
  return { status: 200, body };
}

/** Answers a control request, or undefined when the path is not under CONTROL_PREFIX. */
export function controlRequest(core: SimCore, log: SimLog, method: string, url: URL): ControlReply | undefined {
  if (!url.pathname.startsWith(CONTROL_PREFIX)) return undefined;
  core.tasks.settle(core.now());
  const path = url.pathname.slice(CONTROL_PREFIX.length);
  const wrongMethod = (allowed: string) => ({
    status: 405,
    body: { error: `${method} is not supported on ${url.pathname}; use ${allowed}` },
  });
  if (path === 'mutations') return method === 'GET' ? mutations(log, url.searchParams) : wrongMethod('GET');
  if (path === 'reset-log') {
    if (method !== 'POST') return wrongMethod('POST');
    log.resetLog();
    return { status: 204 };
  }
  if (path === 'counts') {
    if (method !== 'GET') return wrongMethod('GET');
    const all = log.mutations();
    return {
      status: 200,
      body: {
        requests: log.counters(),
        mutations: { total: all.length, byKind: tally(all, 'kind'), byOutcome: tally(all, 'outcome') },
      },
    };
  }
  const state = /^state\/([^/]+)$/.exec(path);
  if (state) {
    if (method !== 'GET') return wrongMethod('GET');
    let accountId: string;
    try {
      accountId = decodeURIComponent(state[1]!);
    } catch {
      return { status: 400, body: { error: `bad %-escape in ${url.pathname}` } };
    }
    const found = accountState(core, accountId);
    return found ? { status: 200, body: found } : { status: 404, body: { error: `No account ${accountId}` } };
  }
  return {
    status: 404,
    body: { error: `No control endpoint ${url.pathname}; see test/sim/atlassian/control.ts for the list` },
  };
}
