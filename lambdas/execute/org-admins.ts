/**
 * The org's admin list for the re-check, read once per execution run and reused by its next chunks
 * while it is young. Safe because (1) a list is only reused for the same proposal and round, (2)
 * only if it was read at or after that execution's start (ExecutionRecord.startedAt: after the
 * approval, so no older than what the approver saw) and (3) only while it is younger than
 * ADMIN_LIST_MAX_AGE_MS, so an account made an admin during a long run is still found by the
 * chunks after that. It is a second line: each chunk's fresh listing (users search by email) still
 * carries every account's own roles, and an account whose roles cannot be read is never touched
 * (recheck.ts). Before this, the list was read for every chunk: about 3 of every 5.5 re-check
 * requests of a 100-item chunk (bench results, execution.md). Held per OrgWriter instance (one per
 * warm Lambda container, as membership.ts does for Entra).
 */
import type { OrgWriter } from './ports.js';

/** How long a read admin list is reused by the next chunks of the same run. */
export const ADMIN_LIST_MAX_AGE_MS = 5 * 60_000;

interface Cached {
  readonly key: string;
  readonly at: number;
  readonly admins: Promise<Set<string>>;
}

const cache = new WeakMap<OrgWriter, Cached>();

/**
 * The admin list for one chunk of the execution `runKey` (proposal and round) started at
 * `runStartedMs`: the one read earlier in this run if young enough, otherwise read now.
 */
export function orgAdminsFor(
  org: OrgWriter,
  runKey: string,
  runStartedMs: number,
  nowMs: number,
  maxAgeMs = ADMIN_LIST_MAX_AGE_MS,
): Promise<Set<string>> {
  const hit = cache.get(org);
  if (
    hit &&
    hit.key === runKey &&
    Number.isFinite(runStartedMs) &&
    hit.at >= runStartedMs &&
    nowMs - hit.at < maxAgeMs &&
    nowMs >= hit.at
  )
    return hit.admins;
  const admins = org.orgAdminIds();
  cache.set(org, { key: runKey, at: nowMs, admins });
  admins.catch(() => {
    if (cache.get(org)?.admins === admins) cache.delete(org);
  });
  return admins;
}
