/** The hash-chain check of one stream's records, in seq order (pure). */
import { GENESIS_HASH, recordHash } from '../domain/audit-hash.js';
import type { AuditRecord, ChainVerdict } from '../domain/audit.js';

type Problem = NonNullable<ChainVerdict['problem']>;

/** Walks records from seq 1, checking every link and hash; the first problem found, or none. */
export async function checkChain(
  stream: string,
  records: AsyncIterable<AuditRecord> | Iterable<AuditRecord>,
): Promise<ChainVerdict> {
  let prev = { seq: 0, hash: GENESIS_HASH };
  let n = 0;
  const fail = (problem: Problem): ChainVerdict => ({ stream, records: n, ok: false, problem });
  for await (const r of records) {
    n += 1;
    if (r.seq !== prev.seq + 1)
      return fail({
        seq: prev.seq + 1,
        kind: 'gap',
        message: `record ${prev.seq + 1} is missing (next found: ${r.seq})`,
      });
    if (r.prevHash !== prev.hash)
      return fail({ seq: r.seq, kind: 'link', message: `record ${r.seq} does not link to record ${prev.seq}` });
    const { hash, ...content } = r;
    if (recordHash(content, r.prevHash) !== hash)
      return fail({
        seq: r.seq,
        kind: 'hash',
        message: `record ${r.seq} was changed after it was written (hash mismatch)`,
      });
    prev = { seq: r.seq, hash };
  }
  return { stream, records: n, ok: true };
}
