/**
 * Option and argument values checked as commander parses them: a bad one is refused (exit 2)
 * with a message naming the option, the value and the fix, before anything runs.
 */
import { InvalidArgumentError } from 'commander';
import { parseAsOf } from '../../lambdas/plan/as-of.js';
import { runIdProblem } from '../../lambdas/plan/run-id.js';

export function parseRunId(value: string): string {
  const problem = runIdProblem(value);
  if (problem) throw new InvalidArgumentError(`the run id ${problem}.`);
  return value;
}

/** --as-of: a day YYYY-MM-DD (00:00 UTC) or an ISO 8601 instant with its offset. */
export function parseAsOfOption(value: string): string {
  if (parseAsOf(value) === undefined)
    throw new InvalidArgumentError(
      `"${value}" is not a day (YYYY-MM-DD, for example 2026-11-24) or an instant with its offset (2026-11-24T02:00:00Z).`,
    );
  return value;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function parseEmail(value: string): string {
  if (!EMAIL.test(value)) throw new InvalidArgumentError(`"${value}" is not an email address (name@example.com).`);
  return value;
}

/** A calendar day YYYY-MM-DD that exists (2026-02-30 does not). */
export function parseDay(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== value)
    throw new InvalidArgumentError(`"${value}" is not a calendar day: expected YYYY-MM-DD, for example 2026-11-24.`);
  return value;
}

/** Repeatable (or comma-separated) list option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}
