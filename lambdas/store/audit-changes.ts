/** DynamoDB Streams records of the audit table, as the archiver's AuditChange (same decoding as reads). */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AuditChange } from '../domain/audit.js';
import { fromItem } from './audit-log.js';

/** The shape shared by a Lambda DynamoDB stream event record and a DynamoDB Streams GetRecords record. */
export interface StreamRecordLike {
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly ApproximateCreationDateTime?: number | Date;
    readonly NewImage?: Record<string, unknown>;
    readonly OldImage?: Record<string, unknown>;
  };
}

export function toAuditChange(r: StreamRecordLike): AuditChange {
  const kind = r.eventName;
  if (kind !== 'INSERT' && kind !== 'MODIFY' && kind !== 'REMOVE')
    throw new TypeError(`audit stream record ${r.eventID ?? '?'}: unknown eventName ${JSON.stringify(kind)}`);
  const t = r.dynamodb?.ApproximateCreationDateTime;
  const at = t === undefined ? new Date() : t instanceof Date ? t : new Date(t * 1000);
  const image = (i: Record<string, unknown> | undefined) =>
    i ? fromItem(i as Record<string, AttributeValue>) : undefined;
  const newRecord = image(r.dynamodb?.NewImage);
  const oldRecord = image(r.dynamodb?.OldImage);
  return {
    eventId: r.eventID ?? `${kind}-${at.getTime()}`,
    kind,
    at: at.toISOString(),
    ...(newRecord && { newRecord }),
    ...(oldRecord && { oldRecord }),
  };
}
