/**
 * `audit verify` against the archive: the table's chain must verify on its own AND agree with the
 * archived originals, record for record. So a record overwritten in the table (even re-chained to
 * look consistent) differs from the archive, a deleted last record is in the archive but not in the
 * table, and any MODIFY/REMOVE the archiver saw is reported with its evidence.
 */
import { canonicalJson } from '../domain/audit-hash.js';
import type { AuditRecord, ChainVerdict } from '../domain/audit.js';
import type { AuditArchive } from '../domain/ports.js';
import { checkChain } from './chain.js';

export interface ArchiveProblem {
  readonly seq: number;
  readonly kind: 'rewritten' | 'missing' | 'tampered' | 'archive-chain';
  readonly message: string;
}

export interface ArchiveVerdict {
  readonly stream: string;
  readonly ok: boolean;
  /** The table's own chain check. */
  readonly chain: ChainVerdict;
  readonly archived: number;
  /** Table records not archived yet (the archiver runs seconds behind the writers). */
  readonly unarchived: number;
  readonly problems: readonly ArchiveProblem[];
}

const same = (a: AuditRecord, b: AuditRecord) => canonicalJson(a) === canonicalJson(b);

export async function verifyWithArchive(
  stream: string,
  table: readonly AuditRecord[],
  archive: Pick<AuditArchive, 'records' | 'tampering'>,
): Promise<ArchiveVerdict> {
  const chain = await checkChain(stream, table);
  const originals: AuditRecord[] = [];
  for await (const r of archive.records(stream)) originals.push(r);
  const problems: ArchiveProblem[] = [];
  const archiveChain = await checkChain(stream, originals);
  if (!archiveChain.ok)
    problems.push({
      seq: archiveChain.problem!.seq,
      kind: 'archive-chain',
      message: `archive: ${archiveChain.problem!.message}`,
    });
  const inTable = new Map(table.map((r) => [r.seq, r]));
  const inArchive = new Map(originals.map((r) => [r.seq, r]));
  let unarchived = 0;
  for (const r of table) {
    const original = inArchive.get(r.seq);
    if (!original) unarchived += 1;
    else if (!same(original, r))
      problems.push({
        seq: r.seq,
        kind: 'rewritten',
        message: `record ${r.seq} differs from the archived original (${original.event} by ${original.actor} at ${original.at})`,
      });
  }
  for (const o of originals)
    if (!inTable.has(o.seq))
      problems.push({
        seq: o.seq,
        kind: 'missing',
        message: `record ${o.seq} (${o.event} at ${o.at}) is in the archive but not in the table: it was deleted`,
      });
  for await (const t of archive.tampering(stream))
    problems.push({
      seq: t.seq,
      kind: 'tampered',
      message: `record ${t.seq}: a ${t.kind} was seen on the table at ${t.at} (event ${t.eventId}); the original is archived`,
    });
  problems.sort((a, b) => a.seq - b.seq);
  return { stream, ok: chain.ok && problems.length === 0, chain, archived: originals.length, unarchived, problems };
}
