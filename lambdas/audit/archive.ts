/**
 * The archiver's core: every change the audit table's stream reports is copied to the archive, a
 * batch at a time. An INSERT is archived under its (stream, seq), once; a redelivered INSERT finds the same record
 * there and is a no-op. Anything else is tampering, because the writers only ever insert: a MODIFY
 * or REMOVE, or an INSERT over a place whose archived record differs (a record deleted and written
 * again). Tampering keeps both images as evidence and raises the alarm; it never stops archiving.
 */
import { canonicalJson } from '../domain/audit-hash.js';
import type { AuditChange, AuditRecord, TamperEvidence } from '../domain/audit.js';
import type { ArchivePut, AuditArchive } from '../domain/ports.js';
import type { Logger } from '../shared/logger.js';

export interface ArchiverDeps {
  readonly archive: AuditArchive;
  readonly logger: Logger;
  /** Raises the alarm (a metric on AWS; the test records it). Given the evidence, never a secret. */
  readonly alarm: (evidence: TamperEvidence) => Promise<void>;
}

export interface ArchiveReport {
  readonly archived: number;
  readonly duplicates: number;
  readonly tampered: number;
}

export async function archiveChanges(deps: ArchiverDeps, changes: readonly AuditChange[]): Promise<ArchiveReport> {
  // The whole batch is archived in one call (one object per stream on S3): an INSERT's new image, and
  // a MODIFY's or REMOVE's old one (a record changed before the archiver saw it is archived as it was).
  const images: AuditRecord[] = [];
  for (const c of changes) {
    if (!(c.newRecord ?? c.oldRecord))
      throw new TypeError(`audit change ${c.eventId} (${c.kind}) carries no record image`);
    if (c.kind === 'INSERT') images.push(c.newRecord!);
    else if (c.oldRecord) images.push(c.oldRecord);
  }
  const puts = images.length > 0 ? await deps.archive.putRecords(images) : [];
  let next = 0;
  let archived = 0;
  let duplicates = 0;
  let tampered = 0;
  for (const change of changes) {
    const put = change.kind === 'INSERT' || change.oldRecord ? puts[next++] : undefined;
    const evidence = judge(change, put);
    if (evidence === 'archived') archived += 1;
    else if (evidence === 'duplicate') duplicates += 1;
    else {
      tampered += 1;
      await deps.archive.putTamper(evidence);
      deps.logger.log('error', 'audit.tamper', {
        stream: evidence.stream,
        seq: evidence.seq,
        kind: evidence.kind,
        eventId: evidence.eventId,
      });
      await deps.alarm(evidence);
    }
  }
  return { archived, duplicates, tampered };
}

/** What one change was, given what archiving its image did. */
function judge(c: AuditChange, put: ArchivePut | undefined): 'archived' | 'duplicate' | TamperEvidence {
  const record = (c.newRecord ?? c.oldRecord)!;
  const place = { stream: record.stream, seq: record.seq, eventId: c.eventId, at: c.at };
  if (c.kind === 'INSERT') {
    if (put!.stored) return 'archived';
    if (sameRecord(put!.existing, c.newRecord!)) return 'duplicate';
    return { ...place, kind: 'REWRITE', archived: put!.existing, newRecord: c.newRecord! };
  }
  const archived = put && c.oldRecord ? (put.stored ? c.oldRecord : put.existing) : undefined;
  return {
    ...place,
    kind: c.kind,
    ...(archived && { archived }),
    ...(c.oldRecord && { oldRecord: c.oldRecord }),
    ...(c.newRecord && { newRecord: c.newRecord }),
  };
}

/** Two images of the same record: equal in every field. */
export const sameRecord = (a: AuditRecord, b: AuditRecord): boolean => canonicalJson(a) === canonicalJson(b);
