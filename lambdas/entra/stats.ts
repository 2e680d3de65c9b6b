import type { EntraReadStats } from './types.js';

/** Counters of one read, filled in by the middleware and the pager. */
export class StatsCounter {
  httpRequests = 0;
  batchRequests = 0;
  batchedSubRequests = 0;
  pages = 0;
  throttledRetries = 0;
  transientRetries = 0;
  waitedMs = 0;

  snapshot(durationMs: number): EntraReadStats {
    return {
      httpRequests: this.httpRequests,
      batchRequests: this.batchRequests,
      batchedSubRequests: this.batchedSubRequests,
      pages: this.pages,
      throttledRetries: this.throttledRetries,
      transientRetries: this.transientRetries,
      waitedMs: this.waitedMs,
      durationMs,
    };
  }
}
