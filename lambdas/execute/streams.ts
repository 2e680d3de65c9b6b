/** Audit stream names of execution: one per proposal's execution, one per chunk (its single writer). */
export const executionStream = (proposalId: string) => `execution#${proposalId}`;
export const chunkStream = (proposalId: string, round: string, index: number) =>
  `execution#${proposalId}#${round}#chunk#${index}`;
export const SYSTEM_EXECUTOR = 'system:execute';
