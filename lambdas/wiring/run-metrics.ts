/**
 * What each handler counts, from what its use case already returns (the plan's result and tally,
 * an execution step's output, the expiry report) and the Atlassian client's transport counters.
 * Pure: the handlers hand the points to ProductMetrics (powertools.ts).
 */
import type { ExpiryReport } from '../approval/index.js';
import type { PlanResult } from '../plan/index.js';
import { MetricName } from './observability.js';

export interface MetricPoint {
  readonly name: MetricName;
  readonly value: number;
  readonly unit: 'Count' | 'Milliseconds';
}

/** Requests and 429s of one invocation (the difference of two readings of TransportStats). */
export interface ApiCounts {
  readonly requests: number;
  readonly throttled: number;
}

const count = (name: MetricName, value: number): MetricPoint => ({ name, value, unit: 'Count' });

/** The cumulative counters of an Atlassian client (AtlassianClient.stats), read without knowing its type. */
export function apiCountsOf(client: unknown): ApiCounts | undefined {
  const stats = (client as { stats?: { requests?: unknown; throttled?: unknown } } | undefined)?.stats;
  return stats && typeof stats.requests === 'number' && typeof stats.throttled === 'number'
    ? { requests: stats.requests, throttled: stats.throttled }
    : undefined;
}

/** The change of the transport's cumulative counters over one invocation (a warm container keeps its client). */
export function apiDelta(before: ApiCounts | undefined, after: ApiCounts | undefined): ApiCounts | undefined {
  if (!after) return undefined;
  return { requests: after.requests - (before?.requests ?? 0), throttled: after.throttled - (before?.throttled ?? 0) };
}

const apiPoints = (api: ApiCounts | undefined): MetricPoint[] =>
  api ? [count(MetricName.API_REQUESTS, api.requests), count(MetricName.API_THROTTLES, api.throttled)] : [];

/** A finished plan run: one run, its accounts and proposed items, its API use and wall time. */
export function planMetrics(
  result: Pick<PlanResult, 'status' | 'tally'> & { readonly itemCount?: number },
  api: ApiCounts | undefined,
  wallMs: number,
): MetricPoint[] {
  const points = [count(MetricName.PLAN_RUNS, 1), ...apiPoints(api)];
  points.push({ name: MetricName.PLAN_WALL_TIME, value: wallMs, unit: 'Milliseconds' });
  if (result.tally) {
    points.push(count(MetricName.ACCOUNTS_READ, result.tally.managed));
    points.push(count(MetricName.ITEMS_PROPOSED, result.itemCount ?? result.tally.actions));
  }
  return points;
}

/** An execution step: a prepared round's approved items (not when resumed), a finished round's outcome. */
export function stepMetrics(output: unknown, api: ApiCounts | undefined): MetricPoint[] {
  const points = apiPoints(api);
  const o = output as Record<string, unknown> | undefined;
  if (o && Array.isArray(o.chunks) && typeof o.itemCount === 'number' && o.resumed === false)
    points.push(count(MetricName.ITEMS_APPROVED, o.itemCount));
  const outcome = o?.outcome as { done?: unknown; failed?: unknown; skipped?: unknown } | undefined;
  if (outcome && typeof outcome.done === 'number') {
    points.push(count(MetricName.ITEMS_DONE, outcome.done));
    points.push(count(MetricName.ITEMS_FAILED, Number(outcome.failed ?? 0)));
    points.push(count(MetricName.ITEMS_SKIPPED, Number(outcome.skipped ?? 0)));
  }
  return points;
}

/** The hourly sweep: proposals expired undecided (0 too, so the alarm and dashboard see the sweep ran). */
export function expiryMetrics(report: Pick<ExpiryReport, 'expired'>): MetricPoint[] {
  return [count(MetricName.PROPOSALS_EXPIRED, report.expired.length)];
}
