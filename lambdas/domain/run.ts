export const RunStatus = { STARTED: 'STARTED', COMPLETE: 'COMPLETE', FAILED: 'FAILED', BLOCKED: 'BLOCKED' } as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** One delivery of a scheduled job, keyed by its run id (idempotency), with its checkpoint. */
export interface RunRecord {
  readonly runId: string;
  readonly kind: string;
  readonly status: RunStatus;
  /** Counts the attempts of this run id (a redelivery after a crash is attempt 2). */
  readonly attempt: number;
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly proposalId?: string;
  /** Resume point: the listing cursor of the next page to read, pages done. */
  readonly checkpoint?: { readonly cursor?: string; readonly pages: number };
  readonly error?: string;
  readonly summary?: Record<string, unknown>;
}
