import { createHash } from 'node:crypto';
import type { AuditRecord, TamperEvidence } from '../domain/audit.js';
import type { ArchivePut, AuditArchive } from '../domain/ports.js';

const pad = (seq: number) => String(seq).padStart(12, '0');

/** Where the archive kept a single record (the archiver's first format: one object per record). */
export const recordKey = (stream: string, seq: number): string =>
  `records/${encodeURIComponent(stream)}/${pad(seq)}.json`;
export const recordPrefix = (stream: string): string => `records/${encodeURIComponent(stream)}/`;
/**
 * Where the archive keeps the records one batch brought for one stream: JSON Lines, named by the
 * first and last seq and a hash of the content, so the same batch delivered again names the same
 * object (and the conditional write refuses it) instead of archiving a second copy.
 */
export const batchKey = (stream: string, first: number, last: number, body: string): string =>
  `${recordPrefix(stream)}${pad(first)}-${pad(last)}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.jsonl`;
export const tamperKey = (stream: string, seq: number, eventId: string): string =>
  `tamper/${encodeURIComponent(stream)}/${pad(seq)}-${encodeURIComponent(eventId)}.json`;
export const tamperPrefix = (stream: string): string => `tamper/${encodeURIComponent(stream)}/`;

/** The seq range an object under records/ holds, from its name; undefined for a name of no known form. */
export function keyRange(key: string): { first: number; last: number } | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const single = /^(\d{12})\.json$/.exec(name);
  if (single) return { first: Number(single[1]), last: Number(single[1]) };
  const batch = /^(\d{12})-(\d{12})-[0-9a-f]{16}\.jsonl$/.exec(name);
  if (batch) return { first: Number(batch[1]), last: Number(batch[2]) };
  return undefined;
}

const toLines = (records: readonly AuditRecord[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const fromText = (key: string, text: string): AuditRecord[] =>
  key.endsWith('.jsonl')
    ? text
        .split('\n')
        .filter((l) => l.length > 0)
        .map((l) => JSON.parse(l) as AuditRecord)
    : [JSON.parse(text) as AuditRecord];

/**
 * The archive port over a write-once key-value store: a subclass only says how to create an object
 * once (false when the key exists), read one, and list the keys under a prefix in key order.
 * A batch's records are archived as one object per stream (one PUT, and one LIST to find what
 * is archived already), not one object per record.
 */
export abstract class KeyedAuditArchive implements AuditArchive {
  protected abstract create(key: string, body: string, contentType: string): Promise<boolean>;
  protected abstract getText(key: string): Promise<string>;
  protected abstract keys(prefix: string): AsyncGenerator<string>;

  async putRecord(record: AuditRecord) {
    return (await this.putRecords([record]))[0]!;
  }

  async putRecords(records: readonly AuditRecord[]): Promise<ArchivePut[]> {
    const out: ArchivePut[] = new Array(records.length);
    const byStream = new Map<string, number[]>();
    records.forEach((r, i) => byStream.set(r.stream, [...(byStream.get(r.stream) ?? []), i]));
    for (const [stream, indices] of byStream) {
      const seqs = indices.map((i) => records[i]!.seq);
      const archived = await this.archivedBetween(stream, Math.min(...seqs), Math.max(...seqs));
      const fresh = new Map<number, AuditRecord>();
      for (const i of indices) {
        const r = records[i]!;
        // A place archived before, or earlier in this batch: the record there is the one that counts.
        const there = archived.get(r.seq) ?? fresh.get(r.seq);
        if (there) out[i] = { stored: false, existing: there };
        else {
          fresh.set(r.seq, r);
          out[i] = { stored: true };
        }
      }
      if (fresh.size === 0) continue;
      const list = [...fresh.values()].sort((a, b) => a.seq - b.seq);
      const body = toLines(list);
      const key = batchKey(stream, list[0]!.seq, list.at(-1)!.seq, body);
      // Refused only when this very content is there already (the name holds its hash): a duplicate.
      if (!(await this.create(key, body, 'application/x-ndjson')))
        for (const i of indices) if (out[i]!.stored) out[i] = { stored: false, existing: records[i]! };
    }
    return out;
  }

  async putTamper(evidence: TamperEvidence): Promise<void> {
    await this.create(
      tamperKey(evidence.stream, evidence.seq, evidence.eventId),
      JSON.stringify(evidence),
      'application/json',
    );
  }

  /** The archived records of `stream` whose seq is within [from, to]: reads only the objects that may hold one. */
  private async archivedBetween(stream: string, from: number, to: number): Promise<Map<number, AuditRecord>> {
    const found = new Map<number, AuditRecord>();
    for await (const key of this.keys(recordPrefix(stream))) {
      const range = keyRange(key);
      if (!range || range.last < from || range.first > to) continue;
      for (const r of fromText(key, await this.getText(key)))
        if (r.seq >= from && r.seq <= to && !found.has(r.seq)) found.set(r.seq, r);
    }
    return found;
  }

  /** In seq order; a seq archived twice (never expected: the archiver checks first) is given once, as first found. */
  async *records(stream: string): AsyncIterable<AuditRecord> {
    const bySeq = new Map<number, AuditRecord>();
    for await (const key of this.keys(recordPrefix(stream))) {
      if (!keyRange(key)) continue;
      for (const r of fromText(key, await this.getText(key))) if (!bySeq.has(r.seq)) bySeq.set(r.seq, r);
    }
    yield* [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  async *tampering(stream: string): AsyncIterable<TamperEvidence> {
    for await (const key of this.keys(tamperPrefix(stream)))
      yield JSON.parse(await this.getText(key)) as TamperEvidence;
  }
}
