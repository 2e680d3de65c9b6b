/**
 * Option and argument values checked as commander parses them: a bad one is refused (exit 2)
 * with a message naming the option, the value and the fix, before anything runs.
 */
import { InvalidArgumentError } from 'commander';

/** Run ids go into DynamoDB keys (`RUN#<id>#<attempt>`, `PROPOSAL#<id>-a<n>`); '#' separates key parts. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:+-]+$/;
export const RUN_ID_MAX = 200;

export function parseRunId(value: string): string {
  if (value === '')
    throw new InvalidArgumentError('the run id is empty: give a non-empty id, or leave --run-id out for manual-<now>.');
  if (value.length > RUN_ID_MAX)
    throw new InvalidArgumentError(
      `the run id has ${value.length} characters; at most ${RUN_ID_MAX} are allowed (it becomes part of DynamoDB keys).`,
    );
  if (!RUN_ID_PATTERN.test(value))
    throw new InvalidArgumentError(
      `"${value}" has characters other than letters, digits and . _ : + - (for example 2026-11-24T02:00:00Z).`,
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
