/**
 * The names of the audit streams, in one place: the plan, the approval step, the CLI and the demo
 * build them here, so `lifecycle audit verify <stream>` and the writers always agree.
 */

/** One attempt of a nightly run (a redelivery after a crash is attempt 2). */
export const runStream = (runId: string, attempt: number): string => `RUN#${runId}#${attempt}`;

/** The single record of a dry run. */
export const dryRunStream = (runId: string): string => `DRYRUN#${runId}`;

/** Everything that happens to a proposal after the plan. */
export const proposalStream = (proposalId: string): string => `PROPOSAL#${proposalId}`;

/**
 * Item-level records of one step that only one writer can take (the auto-approval at sending, the
 * decision that won the proposal's conditional status change, the expiry): written in parallel to
 * the step's own stream, so approving thousands of items takes seconds, not minutes. The by-account
 * and by-proposal indexes find them like any other record.
 */
export const ITEM_STREAMS = ['AUTO', 'DECISION', 'EXPIRY'] as const;
export type ItemStep = (typeof ITEM_STREAMS)[number];
export const itemStream = (step: ItemStep, proposalId: string): string => `${step}#${proposalId}`;

/** Refusals that cannot be tied to a proposal (unknown or tampered links), one stream per UTC day. */
export const refusalStream = (epochMs: number): string => `REFUSALS#${new Date(epochMs).toISOString().slice(0, 10)}`;
