/**
 * `lifecycle audit verify <stream>`: the chain check, and, when an archive is configured, the
 * comparison with the archived originals (lambdas/audit/verify.ts), as lines for people.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { verifyWithArchive } from '../lambdas/audit/index.js';
import type { AuditRecord } from '../lambdas/domain/index.js';
import { DirAuditArchive, S3AuditArchive, type AuditReader } from '../lambdas/store/index.js';

export async function verifyAudit(
  reader: AuditReader,
  stream: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: boolean; records: number; empty: boolean; text: string }> {
  const archive = env.LIFECYCLE_AUDIT_ARCHIVE_BUCKET
    ? new S3AuditArchive(new S3Client({}), env.LIFECYCLE_AUDIT_ARCHIVE_BUCKET)
    : env.LIFECYCLE_AUDIT_ARCHIVE_DIR
      ? new DirAuditArchive(env.LIFECYCLE_AUDIT_ARCHIVE_DIR)
      : undefined;
  if (!archive) {
    const v = await reader.verify(stream);
    const head = v.ok
      ? `${stream}: ${v.records} records, chain verified`
      : `${stream}: BROKEN at record ${v.problem?.seq}: ${v.problem?.message}`;
    return {
      ok: v.ok,
      records: v.records,
      empty: v.records === 0,
      text: `${head}\nNote: no archive configured (LIFECYCLE_AUDIT_ARCHIVE_BUCKET or LIFECYCLE_AUDIT_ARCHIVE_DIR): a re-chained or truncated stream cannot be detected without it.`,
    };
  }
  const records: AuditRecord[] = [];
  for await (const r of reader.stream(stream)) records.push(r);
  const v = await verifyWithArchive(stream, records, archive);
  const lines = [
    v.ok
      ? `${stream}: ${records.length} records, chain verified, equal to the archive (${v.archived} archived${v.unarchived ? `, ${v.unarchived} not archived yet` : ''})`
      : `${stream}: BROKEN (${records.length} records in the table, ${v.archived} in the archive)`,
  ];
  if (!v.chain.ok) lines.push(`  chain: record ${v.chain.problem?.seq}: ${v.chain.problem?.message}`);
  for (const p of v.problems) lines.push(`  ${p.kind}: ${p.message}`);
  // Nothing in the table but records in the archive is a truncated stream (BROKEN), not an empty one.
  return { ok: v.ok, records: records.length, empty: records.length + v.archived === 0, text: lines.join('\n') };
}
