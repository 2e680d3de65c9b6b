/** DynamoDB adapters: implementations of the domain ports (lambdas/domain/ports.ts) and the table definitions. */
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
export { DynamoAuditLog, AuditReader } from './audit-log.js';
export { canonicalJson, recordHash, GENESIS_HASH } from '../domain/audit-hash.js';
export { DynamoProposalStore } from './proposals.js';
export { DynamoOpenProposals } from './open-proposals.js';
export { DynamoLockStore } from './locks.js';
export { DynamoRunStore } from './runs.js';
export { DynamoSeatStore } from './seat-snapshots.js';
export { DynamoExecutedChanges } from './executed-changes.js';
export { batchWrite, BATCH_WRITE_MAX } from './batch-write.js';
export { DynamoTokenStore } from './tokens.js';
export { DynamoExecutionStore } from './executions.js';
export { DirAuditArchive } from './audit-archive-dir.js';
export { S3AuditArchive } from './audit-archive-s3.js';
export { toAuditChange, type StreamRecordLike } from './audit-changes.js';
