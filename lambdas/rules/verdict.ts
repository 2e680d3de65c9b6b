/**
 * Plan-level safety, computed from the counters a streaming planner has at the end of its read
 * (DESIGN.md, "Safety rules"): blast-radius caps, and whether the plan may propose at all.
 */
import type { Config } from '../config/index.js';
import type { BreakGlassAlert } from './break-glass.js';

export interface CapsCheck {
  /** Over a cap: not sent for normal approval, needs an explicit override. */
  readonly suspicious: boolean;
  /** One sentence per cap exceeded; empty when within both. */
  readonly reasons: readonly string[];
  /** Largest proposal allowed by `maxActionsPerRun`. */
  readonly maxByCount: number;
  /** Largest proposal allowed by `maxPercentOfOrg`: floor(percent × managed / 100), at least `minActionsFloor`. */
  readonly maxByPercent: number;
}

/**
 * A proposal of `actionCount` items over `managedCount` managed accounts is suspicious when it is
 * larger than `maxActionsPerRun`, or larger than both `maxPercentOfOrg` percent of the managed
 * accounts (rounded down to whole accounts) and `minActionsFloor` ("at most N% or M accounts,
 * whichever is larger", so a small org can act at all). A proposal exactly at a cap is within it.
 */
export function checkCaps(actionCount: number, managedCount: number, caps: Config['caps']): CapsCheck {
  const maxByCount = caps.maxActionsPerRun;
  // The epsilon absorbs binary fractions: 0.57 × 10000 / 100 is 56.99999999999999, and 0.57% of 10000 allows 57.
  const byPercent = Math.floor((caps.maxPercentOfOrg * Math.max(0, managedCount)) / 100 + 1e-9);
  const maxByPercent = Math.max(byPercent, caps.minActionsFloor);
  const reasons: string[] = [];
  if (actionCount > maxByCount) {
    reasons.push(`${actionCount} proposed actions exceed caps.maxActionsPerRun (${maxByCount}).`);
  }
  if (actionCount > maxByPercent) {
    const percent = managedCount > 0 ? `${((actionCount * 100) / managedCount).toFixed(1)}%` : 'all';
    reasons.push(
      `${actionCount} proposed actions are ${percent} of ${managedCount} managed accounts, over caps.maxPercentOfOrg (${caps.maxPercentOfOrg}%, ${maxByPercent > byPercent ? 'or caps.minActionsFloor: ' : ''}at most ${maxByPercent}).`,
    );
  }
  return { suspicious: reasons.length > 0, reasons, maxByCount, maxByPercent };
}

export interface VerdictInput {
  /** Every page was read and the totals add up. */
  readonly readComplete: boolean;
  /** What went wrong with the read, for the alert (e.g. "page 12 failed: 503"). */
  readonly readProblem?: string;
  readonly breakGlassAlerts: readonly BreakGlassAlert[];
  readonly caps: CapsCheck;
}

export type PlanVerdict =
  /** Send the proposal for normal approval. */
  | { readonly kind: 'propose'; readonly reasons: readonly [] }
  /** Keep the proposal, but only an explicit override may send it for approval. */
  | { readonly kind: 'needs-override'; readonly reasons: readonly string[] }
  /** Propose nothing and alert: an incomplete read or a break-glass problem. */
  | { readonly kind: 'propose-nothing'; readonly reasons: readonly string[] };

/** Blocking reasons win over caps; all blocking reasons are listed, so one alert tells the whole story. */
export function planVerdict(input: VerdictInput): PlanVerdict {
  const blocking: string[] = [];
  if (!input.readComplete)
    blocking.push(
      `The read of the org was incomplete${input.readProblem ? ` (${input.readProblem})` : ''}: a partial read cannot tell who is stale.`,
    );
  blocking.push(...input.breakGlassAlerts.map((a) => a.message));
  if (blocking.length > 0) return { kind: 'propose-nothing', reasons: blocking };
  if (input.caps.suspicious) return { kind: 'needs-override', reasons: input.caps.reasons };
  return { kind: 'propose', reasons: [] };
}
