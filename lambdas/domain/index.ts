export {
  AuditEvent,
  type AuditEntry,
  type AuditRecord,
  type ChainVerdict,
  type AuditChange,
  type TamperEvidence,
} from './audit.js';
export { BallotDecision, SpentReason, type ApprovalToken, type Ballot } from './ballot.js';
export {
  StoreError,
  StateConflictError,
  LockHeldError,
  TokenSpentError,
  AuditConflictError,
  MailDeliveryError,
} from './errors.js';
export { ItemState, predecessorsOf } from './item-states.js';
export { ProposalStatus, type ProposalMeta, type ProposalItem } from './proposal.js';
export { RunStatus, type RunRecord } from './run.js';
export type { SeatSnapshot } from './snapshot.js';
export {
  runStream,
  dryRunStream,
  proposalStream,
  itemStream,
  refusalStream,
  ITEM_STREAMS,
  type ItemStep,
} from './streams.js';
export type {
  AuditLog,
  AuditArchive,
  ExecutionStarter,
  LockStore,
  MailAttachment,
  Mailer,
  MailMessage,
  OpenProposals,
  ProposalStore,
  RunStore,
  SeatStore,
  TokenStore,
} from './ports.js';
