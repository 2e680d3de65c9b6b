/**
 * A plan "as of" another day (`lifecycle plan --as-of`, the Lambda event's `as_of`): the plan's
 * clock starts at that instant and runs on from there, so the rules' "today", the run's and the
 * snapshot's times are that day's. The API clients keep the real clock (their pacing and the
 * servers' rate-limit reset times are real time).
 */
import type { Clock } from '../shared/clock.js';
import type { PlanDeps } from './ports.js';
import { PlanError } from './unique-accounts.js';

/** YYYY-MM-DD (that day, 00:00 UTC) or an ISO 8601 instant with its offset; undefined if neither. */
export function parseAsOf(value: string): number | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const ms = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return new Date(ms).toISOString().slice(0, 10) === value ? ms : undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A clock that reads `startMs` now and moves on with `base`. */
export function clockFrom(startMs: number, base: Clock): Clock {
  const offset = startMs - base.now();
  return { now: () => base.now() + offset, sleep: (ms, signal) => base.sleep(ms, signal) };
}

/** The plan's ports with its clock set to `asOf` (a day or an instant, see parseAsOf). */
export function planAsOf(deps: PlanDeps, asOf: string, field = 'as_of'): PlanDeps {
  const ms = parseAsOf(asOf);
  if (ms === undefined)
    throw new PlanError(
      `${field} "${asOf}" is not a day (YYYY-MM-DD) or an instant with its offset (2026-11-24T02:00:00Z). Nothing was written.`,
    );
  return { ...deps, clock: clockFrom(ms, deps.clock) };
}
