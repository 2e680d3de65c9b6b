import type { AuditRecord, TamperEvidence } from '../domain/audit.js';
import type { AuditArchive } from '../domain/ports.js';

/** Where the archive keeps a record: one object per (stream, seq), the seq zero-padded so names sort. */
export const recordKey = (stream: string, seq: number): string =>
  `records/${encodeURIComponent(stream)}/${String(seq).padStart(12, '0')}.json`;
export const recordPrefix = (stream: string): string => `records/${encodeURIComponent(stream)}/`;
export const tamperKey = (stream: string, seq: number, eventId: string): string =>
  `tamper/${encodeURIComponent(stream)}/${String(seq).padStart(12, '0')}-${encodeURIComponent(eventId)}.json`;
export const tamperPrefix = (stream: string): string => `tamper/${encodeURIComponent(stream)}/`;

/**
 * The archive port over a write-once key-value store: a subclass only says how to create an object
 * once (false when the key exists), read one, and read every object under a prefix in key order.
 */
export abstract class KeyedAuditArchive implements AuditArchive {
  protected abstract create(key: string, body: unknown): Promise<boolean>;
  protected abstract get<T>(key: string): Promise<T>;
  protected abstract read<T>(prefix: string): AsyncGenerator<T>;

  async putRecord(record: AuditRecord) {
    const key = recordKey(record.stream, record.seq);
    if (await this.create(key, record)) return { stored: true as const };
    return { stored: false as const, existing: await this.get<AuditRecord>(key) };
  }

  async putTamper(evidence: TamperEvidence): Promise<void> {
    await this.create(tamperKey(evidence.stream, evidence.seq, evidence.eventId), evidence);
  }

  records(stream: string): AsyncIterable<AuditRecord> {
    return this.read<AuditRecord>(recordPrefix(stream));
  }

  tampering(stream: string): AsyncIterable<TamperEvidence> {
    return this.read<TamperEvidence>(tamperPrefix(stream));
  }
}
