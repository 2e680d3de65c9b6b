/** What the simulator saw and did: request log, mutation log and counters. */
import type { RateLimiter } from './rate-limit.js';
import type { MutationRecord, RequestRecord, SimCounters } from './types.js';

export class SimLog {
  private readonly requestLog: RequestRecord[] = [];
  private readonly mutationLog: MutationRecord[] = [];
  private total = 0;
  private throttled = 0;
  private resets = 0;
  private byEndpoint: Record<string, number> = {};
  private byStatus: Record<string, number> = {};
  private byClass: Record<string, number> = {};
  private throttledByClass: Record<string, number> = {};

  constructor(private readonly limiter: RateLimiter) {}

  request(r: RequestRecord): void {
    this.requestLog.push(r);
    this.total++;
    const key = `${r.method} ${r.template}`;
    this.byEndpoint[key] = (this.byEndpoint[key] ?? 0) + 1;
    const status = r.status === 0 ? 'reset' : String(r.status);
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    if (r.endpointClass) this.byClass[r.endpointClass] = (this.byClass[r.endpointClass] ?? 0) + 1;
    if (r.status === 429) {
      this.throttled++;
      if (r.endpointClass) this.throttledByClass[r.endpointClass] = (this.throttledByClass[r.endpointClass] ?? 0) + 1;
    }
    if (r.status === 0) this.resets++;
  }

  mutation(m: Omit<MutationRecord, 'at'>): void {
    this.mutationLog.push({ ...m, at: new Date(m.atMs).toISOString() });
  }

  requests(): readonly RequestRecord[] {
    return this.requestLog;
  }

  mutations(): readonly MutationRecord[] {
    return this.mutationLog;
  }

  counters(): SimCounters {
    return {
      total: this.total,
      byEndpoint: { ...this.byEndpoint },
      byStatus: { ...this.byStatus },
      byClass: { ...this.byClass },
      throttled: this.throttled,
      throttledByClass: { ...this.throttledByClass },
      resets: this.resets,
      peakPerWindow: this.limiter.peaks(),
    };
  }

  /** Empties the request and mutation logs and zeroes the counters and peaks. */
  resetLog(): void {
    this.requestLog.length = 0;
    this.mutationLog.length = 0;
    this.resetCounters();
  }

  /** Zeroes the counters and peaks; the request and mutation logs are kept. */
  resetCounters(): void {
    this.total = this.throttled = this.resets = 0;
    this.byEndpoint = {};
    this.byStatus = {};
    this.byClass = {};
    this.throttledByClass = {};
    this.limiter.resetPeaks();
  }
}
