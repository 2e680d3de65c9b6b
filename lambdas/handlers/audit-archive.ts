/**
 * Lambda handler of the audit archiver: the audit table's DynamoDB stream (NEW_AND_OLD_IMAGES) →
 * the write-once S3 archive (Object Lock, compliance mode). Tampering (a MODIFY, REMOVE or a write
 * over an archived record) is kept as evidence and counted in the `TamperEvents` metric (CloudWatch
 * embedded metric format), which the stack alarms on. A failing batch is reported by its first
 * record's sequence number, so Lambda retries all of it and nothing is skipped.
 * Partial batch responses: https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 */
import { S3Client } from '@aws-sdk/client-s3';
import { archiveChanges } from '../audit/index.js';
import type { TamperEvidence } from '../domain/audit.js';
import { powertoolsLogger } from '../wiring/powertools.js';
import { S3AuditArchive, toAuditChange, type StreamRecordLike } from '../store/index.js';

interface StreamEvent {
  readonly Records: readonly (StreamRecordLike & { readonly dynamodb?: { readonly SequenceNumber?: string } })[];
}

const bucket = process.env.LIFECYCLE_AUDIT_ARCHIVE_BUCKET;
const logger = powertoolsLogger();
const archive = bucket ? new S3AuditArchive(new S3Client({}), bucket) : undefined;

/** One embedded-metric-format line: CloudWatch turns it into the TamperEvents metric. */
async function alarm(e: TamperEvidence): Promise<void> {
  process.stdout.write(
    `${JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          { Namespace: 'AtlassianLifecycle', Dimensions: [[]], Metrics: [{ Name: 'TamperEvents', Unit: 'Count' }] },
        ],
      },
      TamperEvents: 1,
      stream: e.stream,
      seq: e.seq,
      kind: e.kind,
    })}\n`,
  );
}

export async function handler(event: StreamEvent): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  if (!archive) throw new Error('LIFECYCLE_AUDIT_ARCHIVE_BUCKET is not set: the stack sets it to the archive bucket.');
  // The batch is archived as a whole (one object per stream, not one per record). A failure retries
  // it from its first record: what it had archived is found again and counted as duplicates.
  try {
    await archiveChanges({ archive, logger, alarm }, event.Records.map(toAuditChange));
  } catch (err) {
    const first = event.Records[0];
    logger.log('error', 'audit.archive-failed', {
      eventId: first?.eventID,
      records: event.Records.length,
      error: (err as Error).message,
    });
    return { batchItemFailures: first ? [{ itemIdentifier: first.dynamodb?.SequenceNumber ?? '' }] : [] };
  }
  return { batchItemFailures: [] };
}
