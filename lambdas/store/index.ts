export {
  TABLES,
  STATE_TABLE,
  AUDIT_TABLE,
  SEATS_TABLE,
  localTableNames,
  type TableDef,
  type TableNames,
  type KeyDef,
  type IndexDef,
} from './tables.js';
export { createTableInput, ensureTable } from './create-tables.js';
export { StoreError, StateConflictError, LockHeldError } from './errors.js';
export { AuditEvent, type AuditEntry, type AuditRecord, type ChainVerdict } from './audit-types.js';
export { DynamoAuditLog, AuditReader, AuditConflictError, type AuditLog } from './audit-log.js';
export { canonicalJson, recordHash, GENESIS_HASH } from './audit-hash.js';
export { ItemState, predecessorsOf } from './item-states.js';
export { ProposalStatus, type ProposalMeta, type ProposalItem } from './proposal-types.js';
export { DynamoProposalStore } from './proposals.js';
export { DynamoLockStore, type LockStore } from './locks.js';
export { DynamoRunStore, RunStatus, type RunRecord } from './runs.js';
export { DynamoSeatStore, type SeatSnapshot } from './seats.js';
export { batchWrite, BATCH_WRITE_MAX } from './batch-write.js';
export {
  DynamoTokenStore,
  TokenSpentError,
  BallotDecision,
  SpentReason,
  type ApprovalToken,
  type Ballot,
} from './tokens.js';
