/**
 * The one definition of every DynamoDB table. The CDK stack (lib/tables.ts) and the local stack
 * (local/dynamo.ts) both build their tables from these objects, so the deployed schema and the
 * local one cannot drift. Plain data: no CDK or SDK types here.
 */
export type AttributeType = 'S' | 'N';

export interface KeyDef {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexDef {
  readonly name: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  /**
   * What the index copies of each item: every attribute (the default), or only the table's and the
   * index's keys, which a reader then fetches from the table (less storage; and an index write is
   * one unit, where a whole item's copy costs its size in KB).
   */
  readonly projection?: 'ALL' | 'KEYS_ONLY';
}

export interface TableDef {
  /** Stable id: the CDK construct id and the suffix of the local table name. */
  readonly id: string;
  readonly partitionKey: KeyDef;
  readonly sortKey?: KeyDef;
  /** Global secondary indexes (projecting ALL attributes unless an index says otherwise). */
  readonly indexes: readonly IndexDef[];
  /** Attribute holding an epoch-seconds expiry, if items expire. */
  readonly ttlAttribute?: string;
  /** A change stream with both images (the audit archiver reads it). */
  readonly changeStream?: 'NEW_AND_OLD_IMAGES';
}

const s = (name: string): KeyDef => ({ name, type: 'S' });
const n = (name: string): KeyDef => ({ name, type: 'N' });

/** Runs, locks, checkpoints, proposals, items and approval tokens (single-table design). */
export const STATE_TABLE: TableDef = {
  id: 'State',
  partitionKey: s('pk'),
  sortKey: s('sk'),
  indexes: [{ name: 'gsi1', partitionKey: s('gsi1pk'), sortKey: s('gsi1sk') }],
  ttlAttribute: 'expiresAt',
};

/** Append-only audit log: one hash-chained stream per run or proposal. */
export const AUDIT_TABLE: TableDef = {
  id: 'Audit',
  partitionKey: s('stream'),
  sortKey: n('seq'),
  indexes: [
    // Keys only: each index copy of a record is its keys (about 200 bytes with DynamoDB's 100-byte
    // overhead) instead of the whole record, and the table holds the record once. Every record is
    // in up to three indexes, and the table keeps every record (no expiry), so this is most of its
    // storage; the by-account, by-day and by-proposal reads (the command line) fetch the records.
    { name: 'byAccount', partitionKey: s('accountId'), sortKey: s('at'), projection: 'KEYS_ONLY' },
    { name: 'byDay', partitionKey: s('day'), sortKey: s('at'), projection: 'KEYS_ONLY' },
    { name: 'byProposal', partitionKey: s('proposalId'), sortKey: s('at'), projection: 'KEYS_ONLY' },
  ],
  // Every write is copied to the write-once archive, and any change or removal is caught there.
  changeStream: 'NEW_AND_OLD_IMAGES',
};

/** Guard seat snapshots, one per run, for finance. */
export const SEATS_TABLE: TableDef = {
  id: 'Seats',
  partitionKey: s('orgId'),
  sortKey: s('takenAt'),
  indexes: [],
};

export const TABLES = [STATE_TABLE, AUDIT_TABLE, SEATS_TABLE] as const;

/** Physical table names, as handed to the core by the handlers (env) or the local stack. */
export interface TableNames {
  readonly state: string;
  readonly audit: string;
  readonly seats: string;
}

export function localTableNames(prefix: string): TableNames {
  return {
    state: `${prefix}-${STATE_TABLE.id}`,
    audit: `${prefix}-${AUDIT_TABLE.id}`,
    seats: `${prefix}-${SEATS_TABLE.id}`,
  };
}
