/** Execution: approved items change Atlassian, in resumable chunks, exactly once per item. */
export type { ExecDeps, ExecMail, ExecProposals, OrgWriter, KeepLinkIssuer, ItemExecutionFields } from './ports.js';
export { runStep, type StepInput, type StepOutput } from './steps.js';
export { prepare, assertExecutable, NotExecutableError, type Prepared } from './prepare.js';
export { runChunk, type ChunkReport, type ChunkRef } from './chunk.js';
export { finish, recordFailure, countOutcomes, type FinishReport } from './finish.js';
export { recheck, seenActivity, cameBack, type FreshFacts, type ApprovedItem } from './recheck.js';
export { executable, type Executable } from './guard.js';
export { outcomeOfError, type ErrorOutcome } from './outcome.js';
export { mailerExecMail, renderWarningEmail, handoffCsv, type UndoLinkIssuer } from './emails.js';
export { executionStream, chunkStream, SYSTEM_EXECUTOR } from './streams.js';
export {
  proposeUndo,
  approveAsOperator,
  undoable,
  reverseItem,
  undoProposalId,
  UndoError,
  type UndoDeps,
  type UndoRequest,
  type UndoProposal,
} from './undo.js';
export { undoOf, type UndoOf } from './undo-evidence.js';
