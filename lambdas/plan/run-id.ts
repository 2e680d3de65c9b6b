/**
 * Run ids go into DynamoDB keys (`RUN#<id>`, the audit stream `RUN#<id>#<attempt>`, the proposal
 * `<id>-a<n>`): '#' separates key parts, and an empty or very long id fails deep in DynamoDB
 * after the run has begun. Checked before anything is written.
 */
export const RUN_ID_PATTERN = /^[A-Za-z0-9._:+-]+$/;
export const RUN_ID_MAX = 200;

/** What is wrong with a run id (phrased to follow its name), or undefined when it is fine. */
export function runIdProblem(runId: string): string | undefined {
  if (runId === '') return 'is empty: give a non-empty id (for example 2026-11-24T02:00:00Z)';
  if (runId.length > RUN_ID_MAX)
    return `has ${runId.length} characters; at most ${RUN_ID_MAX} are allowed (it becomes part of DynamoDB keys)`;
  if (!RUN_ID_PATTERN.test(runId))
    return `"${runId}" has characters other than letters, digits and . _ : + - (for example 2026-11-24T02:00:00Z)`;
  return undefined;
}
