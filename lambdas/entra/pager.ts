import pLimit from 'p-limit';
import { EntraError, EntraResponseError } from './errors.js';
import type { EntraLogger } from './logger.js';
import { graphFailure, type RequestPurpose } from './graph-errors.js';
import { MAX_BATCH, type GraphTransport } from './graph-transport.js';
import { classifyStatus, type Clock, type RetryCount, type RetryPolicy } from './retry-policy.js';
import type { StatsCounter } from './stats.js';

/** One paged collection to read to the end. */
export interface CollectionRead {
  /** First page, relative to the version root: `/groups/{id}/transitiveMembers?$select=...&$top=999`. */
  readonly url: string;
  readonly purpose: RequestPurpose;
  readonly onPage: (items: readonly Record<string, unknown>[]) => void;
  /** Called when this collection fails; return a replacement read, `'drop'` to give it up, or `'throw'`. @default throw */
  readonly onError?: (error: EntraError) => CollectionRead | 'drop' | 'throw';
}

export interface PagerOptions {
  readonly transport: GraphTransport;
  readonly policy: RetryPolicy;
  readonly clock: Clock;
  readonly stats: StatsCounter;
  /** Send two or more due page requests as one `$batch`. */
  readonly useBatch: boolean;
  /** Requests (or batches) in flight at once. */
  readonly concurrency: number;
  readonly maxPagesPerCollection: number;
  readonly clientId: string;
  readonly logger: EntraLogger;
}

interface Cursor {
  read: CollectionRead;
  url: string;
  pages: number;
  count: RetryCount;
}

type Outcome = { ok: true; body: Record<string, unknown> } | { ok: false; error: EntraError };

/**
 * Reads every collection to its last page, following `@odata.nextLink`. In each round, the next page
 * of every unfinished collection is due; two or more due pages travel in `$batch` requests of up to
 * 20 (so the first pages of the Confluence group and every exclusion group cost one request).
 */
export async function readCollections(reads: readonly CollectionRead[], o: PagerOptions): Promise<void> {
  const limit = pLimit(o.concurrency);
  let active: Cursor[] = reads.map((read) => ({
    read,
    url: read.url,
    pages: 0,
    count: { throttled: 0, transient: 0 },
  }));
  while (active.length > 0) {
    const chunks: Cursor[][] = [];
    if (o.useBatch && active.length > 1)
      for (let i = 0; i < active.length; i += MAX_BATCH) chunks.push(active.slice(i, i + MAX_BATCH));
    else for (const c of active) chunks.push([c]);
    const results = await Promise.all(chunks.map((chunk) => limit(() => fetchChunk(chunk, o))));
    const next: Cursor[] = [];
    for (const [cursor, outcome] of results.flat()) {
      if (!outcome.ok) {
        const decision = cursor.read.onError?.(outcome.error) ?? 'throw';
        if (decision === 'throw') throw outcome.error;
        if (decision !== 'drop')
          next.push({ read: decision, url: decision.url, pages: 0, count: { throttled: 0, transient: 0 } });
        continue;
      }
      const following = advance(cursor, outcome.body, o);
      if (following) next.push(following);
    }
    active = next;
  }
}

function advance(cursor: Cursor, body: Record<string, unknown>, o: PagerOptions): Cursor | undefined {
  const value = body.value;
  if (!Array.isArray(value))
    throw new EntraResponseError(
      `Microsoft Graph answered a page without a "value" array while trying to ${cursor.read.purpose.action}. Report it with the request above.`,
    );
  o.stats.pages++;
  cursor.read.onPage(value as Record<string, unknown>[]);
  const link = body['@odata.nextLink'];
  if (link === undefined || link === null) return undefined;
  if (typeof link !== 'string')
    throw new EntraResponseError(
      `Microsoft Graph answered a non-string @odata.nextLink while trying to ${cursor.read.purpose.action}.`,
    );
  const url = relativeToVersionRoot(link, o.transport.versionRoot);
  if (url === cursor.url)
    throw new EntraResponseError(
      `Microsoft Graph returned the same page link twice while trying to ${cursor.read.purpose.action}; stopping instead of looping.`,
    );
  if (cursor.pages + 1 >= o.maxPagesPerCollection) {
    throw new EntraResponseError(
      `Stopped after ${o.maxPagesPerCollection} pages while trying to ${cursor.read.purpose.action}. Raise maxPagesPerCollection if the group is really that large.`,
    );
  }
  return { read: cursor.read, url, pages: cursor.pages + 1, count: { throttled: 0, transient: 0 } };
}

/** `https://graph.microsoft.com/v1.0/groups/x?...` becomes `/groups/x?...`; links to anywhere else are refused. */
export function relativeToVersionRoot(link: string, versionRoot: string): string {
  if (link.startsWith('/')) return link;
  if (!link.toLowerCase().startsWith(`${versionRoot.toLowerCase()}/`)) {
    throw new EntraResponseError(
      `Microsoft Graph returned a nextLink outside ${versionRoot} (${new URL(link).origin}); refusing to follow it. Check entra.graphBaseUrl.`,
    );
  }
  return link.slice(versionRoot.length);
}

async function fetchChunk(chunk: Cursor[], o: PagerOptions): Promise<[Cursor, Outcome][]> {
  const out: [Cursor, Outcome][] = [];
  let pending = chunk;
  while (pending.length > 0) {
    if (pending.length === 1) {
      const cursor = pending[0]!;
      out.push([cursor, await single(cursor, o)]);
      break;
    }
    const answers = await o.transport.batch(
      pending.map((c, i) => ({ id: String(i + 1), url: c.url })),
      o.stats,
    );
    const retry: Cursor[] = [];
    let wait = 0;
    pending.forEach((cursor, i) => {
      const r = answers.get(String(i + 1));
      if (!r)
        throw new EntraResponseError(
          `Microsoft Graph answered a $batch without response ${i + 1} (${cursor.read.purpose.action}). Report it; meanwhile set useBatch to false.`,
        );
      if (r.status >= 200 && r.status < 300 && r.body && typeof r.body === 'object') {
        out.push([cursor, { ok: true, body: r.body as Record<string, unknown> }]);
        return;
      }
      const failure = classifyStatus(r.status, r.headers['retry-after'], o.clock.now());
      const decision = failure ? o.policy.decide(failure, cursor.count, o.clock.now()) : undefined;
      if (failure && decision?.retry) {
        if (failure.kind === 'throttled') o.stats.throttledRetries++;
        else o.stats.transientRetries++;
        wait = Math.max(wait, decision.delayMs);
        retry.push(cursor);
        o.logger.warn('Graph request inside a $batch will be retried', {
          kind: failure.kind,
          status: r.status,
          retryAfterMs: failure.retryAfterMs,
          delayMs: decision.delayMs,
          path: cursor.url,
        });
        return;
      }
      const attempts = cursor.count.throttled + cursor.count.transient + 1;
      const error = graphFailure(r.status, r.body, r.headers['retry-after'], cursor.read.purpose, {
        clientId: o.clientId,
        attempts,
        now: o.clock.now(),
        ...(decision && !decision.retry && { gaveUp: decision }),
      });
      out.push([cursor, { ok: false, error }]);
    });
    if (retry.length > 0 && wait > 0) {
      await o.clock.sleep(wait);
      o.stats.waitedMs += wait;
    }
    pending = retry;
  }
  return out;
}

async function single(cursor: Cursor, o: PagerOptions): Promise<Outcome> {
  try {
    return { ok: true, body: await o.transport.get(cursor.url, cursor.read.purpose, o.stats) };
  } catch (error) {
    if (error instanceof EntraError) return { ok: false, error };
    throw error;
  }
}
