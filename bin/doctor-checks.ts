/**
 * `lifecycle doctor`: the verdicts, one line per check. A check is `ok`, `FAIL` (with the reason
 * and the fix) or `skip` (it could not run because a check it depends on failed: the line says which).
 */
export const Verdict = { OK: 'ok', FAIL: 'FAIL', SKIP: 'skip' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export interface CheckResult {
  /** What was checked, e.g. `Atlassian API key`, `table state`. */
  readonly check: string;
  readonly verdict: Verdict;
  /** What was found (ok), what went wrong (FAIL) or why it was not checked (skip). Never a secret. */
  readonly detail: string;
  /** On FAIL: what to do about it. */
  readonly fix?: string;
}

export const ok = (check: string, detail: string): CheckResult => ({ check, verdict: Verdict.OK, detail });
export const fail = (check: string, detail: string, fix: string): CheckResult => ({
  check,
  verdict: Verdict.FAIL,
  detail,
  fix,
});
export const skip = (check: string, detail: string): CheckResult => ({ check, verdict: Verdict.SKIP, detail });

/** The first line of an error's message, capped: messages of the clients never carry secrets. */
export function reasonOf(err: unknown): string {
  const e = err as { name?: string; message?: string };
  const line = (e?.message ?? String(err)).split('\n')[0]!.slice(0, 400);
  return e?.name && e.name !== 'Error' ? `${e.name}: ${line}` : line;
}

/** `ok    Atlassian API key   valid for org ...` and, under a FAIL, `      fix: ...`. */
export function formatResults(results: readonly CheckResult[]): string {
  const width = Math.min(40, Math.max(...results.map((r) => r.check.length)));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.verdict.padEnd(5)} ${r.check.padEnd(width)}  ${r.detail}`);
    if (r.fix) lines.push(`${' '.repeat(6 + width)}  fix: ${r.fix}`);
  }
  const failed = results.filter((r) => r.verdict === Verdict.FAIL).length;
  lines.push(
    failed === 0
      ? `\nAll ${results.length} checks passed.`
      : `\n${failed} of ${results.length} checks FAILED${results.some((r) => r.verdict === Verdict.SKIP) ? ' (skipped checks depend on them)' : ''}.`,
  );
  return lines.join('\n');
}

/** Exit code of a doctor run: 0 when nothing failed, 1 otherwise (README, "Exit codes"). */
export const doctorExitCode = (results: readonly CheckResult[]): number =>
  results.some((r) => r.verdict === Verdict.FAIL) ? 1 : 0;
